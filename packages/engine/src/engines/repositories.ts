/** @module The repository port of the engines area (seed 001). */
import type { EngineStatus } from '@cartrita/contracts';

/** A stored engine. */
export interface StoredEngine {
  id: string;
  session_id: string;
  /** The user of the session, whose engines a list shows. */
  user_id: string;
  engine_type: string;
  model_name: string | null;
  status: EngineStatus;
  configuration: Record<string, unknown>;
  executions: number;
  input_tokens: number;
  output_tokens: number;
  created_at: string;
  last_used_at: string | null;
}

/** What an engine's call changes. */
export interface EngineUpdate {
  status: EngineStatus;
  /** Added to the engine's counts. */
  usage?: { executions: number; input_tokens: number; output_tokens: number };
  last_used_at?: string;
}

/** Engines, each in one session. */
export interface EngineStore {
  create(engine: StoredEngine): Promise<StoredEngine>;
  get(id: string): Promise<StoredEngine | undefined>;
  /** A user's engines, newest first, of one session and one status when given. */
  list(filter: { user_id: string; session_id?: string; status?: EngineStatus }): Promise<StoredEngine[]>;
  /** Applies an update; resolves the engine after, or `undefined` when it is gone. */
  update(id: string, update: EngineUpdate): Promise<StoredEngine | undefined>;
  delete(id: string): Promise<boolean>;
  count(sessionId: string): Promise<number>;
  deleteSession(sessionId: string): Promise<number>;
}

/** Every repository of the engines area. */
export interface EngineAreaRepositories {
  readonly engines: EngineStore;
}
