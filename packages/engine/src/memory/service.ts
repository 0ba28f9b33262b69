/**
 * @module Memory (seed 004): a user's profile entries, facts and past exchanges. Every method reaches
 * the caller's own memories; another user's are reported as absent.
 */
import type {
  MemoryCleared,
  MemoryClearRequest,
  MemoryCreateRequest,
  MemoryDeleted,
  MemoryEntry,
  MemoryList,
  MemoryListQuery,
  MemoryUpdateRequest,
} from '@cartrita/contracts';
import { type AuthContext, userIdOf } from '../auth.js';
import { type Clock, systemClock } from '../clock.js';
import type { ConfigService } from '../config/service.js';
import { HttpError } from '../errors.js';
import { newId } from '../ids.js';
import { toIso } from '../time.js';
import type { MemoryStore, StoredMemory } from './repositories.js';

/** One chat exchange, as the chat doors finish it. */
export interface ChatExchange {
  userId: string;
  /** The conversation (`session_id` of seed 004, `conversation_id` of seed 000). */
  sessionId: string;
  /** The id of the assistant's reply. */
  messageId: string;
  userMessage: string;
  reply: string;
}

/** The user whose memories a request reaches; 401 for an anonymous caller. */
export const memoryUserOf = (auth: AuthContext | undefined): string => {
  const userId = userIdOf(auth);
  if (userId === undefined) throw HttpError.unauthorized('A client secret or an API key is required.');
  return userId;
};

const toEntry = (memory: StoredMemory): MemoryEntry => ({
  id: memory.id,
  type: memory.type,
  content: memory.content,
  metadata: memory.metadata,
  timestamp: memory.timestamp,
});

const day = 24 * 60 * 60 * 1000;

/** Options of {@link MemoryService}. */
export interface MemoryServiceOptions {
  repository: MemoryStore;
  /** The `memory` section says whether exchanges are kept, and for how long. */
  config: ConfigService;
  clock?: Clock;
}

/** The memory routes' rules, and the keeping of every chat exchange. */
export class MemoryService {
  readonly #repository: MemoryStore;
  readonly #config: ConfigService;
  readonly #clock: Clock;

  constructor(options: MemoryServiceOptions) {
    this.#repository = options.repository;
    this.#config = options.config;
    this.#clock = options.clock ?? systemClock;
  }

  /** The user's memories, newest first, of one type when given. */
  async list(query: MemoryListQuery, userId: string): Promise<MemoryList> {
    const { memories, total } = await this.#repository.list({
      user_id: userId,
      ...(query.type === undefined ? {} : { type: query.type }),
      limit: query.limit,
      offset: query.offset,
    });
    return { memories: memories.map(toEntry), total };
  }

  /** Remembers a `profile` entry or a `fact` of the user's. */
  async create(request: MemoryCreateRequest, userId: string): Promise<MemoryEntry> {
    const memory = await this.#repository.create({
      id: newId('memory', 8),
      user_id: userId,
      session_id: null,
      type: request.type,
      content: request.content,
      metadata: request.metadata ?? {},
      timestamp: this.#clock.now().toISOString(),
    });
    return toEntry(memory);
  }

  /** One memory of the user's; 404 otherwise. */
  async get(id: string, userId: string): Promise<MemoryEntry> {
    const memory = await this.#repository.get(id, userId);
    if (!memory) throw HttpError.notFound('memory', id);
    return toEntry(memory);
  }

  /** Changes a memory's content, metadata or both; 404 when the user has no such memory. */
  async update(id: string, request: MemoryUpdateRequest, userId: string): Promise<MemoryEntry> {
    const memory = await this.#repository.update(id, userId, {
      ...(request.content === undefined ? {} : { content: request.content }),
      ...(request.metadata === undefined ? {} : { metadata: request.metadata }),
    });
    if (!memory) throw HttpError.notFound('memory', id);
    return toEntry(memory);
  }

  /** Forgets a memory; 404 when the user has no such memory. */
  async delete(id: string, userId: string): Promise<MemoryDeleted> {
    if (!(await this.#repository.delete(id, userId))) throw HttpError.notFound('memory', id);
    return { id, deleted: true };
  }

  /** Forgets the user's memories of one type, made before a time, both, or all. */
  async clear(request: MemoryClearRequest | undefined, userId: string): Promise<MemoryCleared> {
    const cleared = await this.#repository.clear({
      user_id: userId,
      ...(request?.type === undefined ? {} : { type: request.type }),
      ...(request?.older_than === undefined ? {} : { older_than: toIso(request.older_than) }),
    });
    return { cleared };
  }

  /**
   * Keeps a finished chat exchange as a `conversation` memory of its session, unless the `memory`
   * section turns that off, and forgets the user's conversation memories past `retention_days`.
   */
  async recordExchange(exchange: ChatExchange): Promise<StoredMemory | undefined> {
    await this.#config.ready();
    const settings = this.#config.current('memory');
    if (!settings.enabled || !settings.record_conversations) return undefined;
    const now = this.#clock.now();
    const memory = await this.#repository.create({
      id: newId('memory', 8),
      user_id: exchange.userId,
      session_id: exchange.sessionId,
      type: 'conversation',
      content: `User: ${exchange.userMessage}\nAssistant: ${exchange.reply}`,
      metadata: {
        session_id: exchange.sessionId,
        message_id: exchange.messageId,
        user_message: exchange.userMessage,
        assistant_message: exchange.reply,
      },
      timestamp: now.toISOString(),
    });
    if (settings.retention_days > 0) {
      await this.#repository.clear({
        user_id: exchange.userId,
        type: 'conversation',
        older_than: new Date(now.getTime() - settings.retention_days * day).toISOString(),
      });
    }
    return memory;
  }
}
