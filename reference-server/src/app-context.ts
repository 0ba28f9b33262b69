import type { Logger } from 'pino';
import type { Config } from './config.js';
import type { ChatService } from './engine/chat/chat-service.js';
import type { ChatKitProcessor } from './engine/chatkit/processor.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { BlobStore } from './storage/blob-store.js';

/** Everything a route handler may use, built once per server by `createApp`. */
export interface AppContext {
  config: Config;
  logger: Logger;
  version: string;
  /** When the process started serving, for uptime. */
  startedAt: number;
  /** Key that signs client secrets. */
  signingKey: Uint8Array;
  processor: ChatKitProcessor;
  /** The engine of the `/api/chat`, `/chat/` and `/ws/chat` doors. */
  chat: ChatService;
  /** Streaming settings of the resumable doors. */
  streaming: { heartbeatMs: number; resumeGraceMs: number };
  providers: ProviderRegistry;
  blobs: BlobStore;
  sessions: {
    create(session: { id: string; userId: string; createdAt: string; expiresAt: string }): Promise<void>;
  };
  /** Resolves when the database answers; rejects otherwise. */
  ping(): Promise<void>;
}
