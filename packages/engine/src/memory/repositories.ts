/** @module The repository port of the memory area (seed 004). */
import type { MemoryType } from '@cartrita/contracts';

/** A stored memory. */
export interface StoredMemory {
  id: string;
  /** The user the memory belongs to: nobody else reaches it. */
  user_id: string;
  /** The conversation a `conversation` memory was kept from; `null` for the other kinds. */
  session_id: string | null;
  type: MemoryType;
  content: string;
  metadata: Record<string, unknown>;
  /** When the memory was made, ISO 8601 in UTC with milliseconds. */
  timestamp: string;
}

/** What `PUT /memory/{memory_id}` changes. */
export interface MemoryChange {
  content?: string;
  metadata?: Record<string, unknown>;
}

/** Which of a user's memories a clear removes: all, of one type, made before a time, or both. */
export interface MemoryClearFilter {
  user_id: string;
  type?: MemoryType;
  /** Stored form (see `toIso`): memories made strictly before it. */
  older_than?: string;
  /** Only the memories of this session (conversation). */
  session_id?: string;
}

/** Memories, each of one user. Every method reaches the named user's memories only. */
export interface MemoryStore {
  create(memory: StoredMemory): Promise<StoredMemory>;
  get(id: string, userId: string): Promise<StoredMemory | undefined>;
  /** A page of the user's memories, newest first, of one type when given, and how many match. */
  list(filter: {
    user_id: string;
    type?: MemoryType;
    limit: number;
    offset: number;
  }): Promise<{ memories: StoredMemory[]; total: number }>;
  /** Applies a change; resolves the memory after, or `undefined` when the user has no such memory. */
  update(id: string, userId: string, change: MemoryChange): Promise<StoredMemory | undefined>;
  delete(id: string, userId: string): Promise<boolean>;
  /** Removes the memories the filter names; resolves how many. */
  clear(filter: MemoryClearFilter): Promise<number>;
  /**
   * The memories that may join a prompt of one session: the user's `profile` and `fact` memories and
   * the session's own `conversation` memories, newest first, at most `limit`.
   */
  candidates(filter: { user_id: string; session_id: string; limit: number }): Promise<StoredMemory[]>;
}

/** Every repository of the memory area. */
export interface MemoryAreaRepositories {
  readonly memories: MemoryStore;
}
