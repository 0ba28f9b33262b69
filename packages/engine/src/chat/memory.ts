/** @module The chat area's repository in memory, by the SQL repository's rules. */
import { now } from '../ids.js';
import type { ChatRepositories, ResponseStore, StoredChatResponse, StoredFrame } from './repositories.js';

/** The in-memory reply store, which also lets a test find any reply, whoever it belongs to. */
export interface MemoryResponseStore extends ResponseStore {
  /** The reply, whoever it belongs to, or `undefined`. */
  find(id: string): StoredChatResponse | undefined;
  /** Every reply, oldest first. */
  all(): StoredChatResponse[];
  /** Forgets the replies of a deleted thread, as the foreign key's cascade does in SQL. */
  forgetThread(threadId: string): void;
}

/**
 * The chat area's repositories over one in-memory state.
 *
 * @example
 * const { responses } = createMemoryChatRepositories();
 */
export const createMemoryChatRepositories = (): ChatRepositories & {
  responses: MemoryResponseStore;
  clear(): void;
} => {
  const responses = new Map<string, { response: StoredChatResponse; frames: StoredFrame[] }>();
  const store: MemoryResponseStore = {
    find: (id) => {
      const row = responses.get(id);
      return row && { ...row.response };
    },
    all: () => [...responses.values()].map((row) => ({ ...row.response })),
    forgetThread: (threadId) => {
      for (const [id, row] of responses) if (row.response.thread_id === threadId) responses.delete(id);
    },
    async create(params) {
      if (responses.has(params.id)) throw new Error(`A reply ${params.id} already exists`);
      const at = now();
      responses.set(params.id, {
        response: { ...params, status: 'running', created_at: at, updated_at: at },
        frames: [],
      });
    },
    async get(id, userId) {
      const row = responses.get(id);
      return row && row.response.user_id === userId ? { ...row.response } : undefined;
    },
    async appendFrames(id, frames) {
      const row = responses.get(id);
      if (!row) throw new Error(`Reply ${id} does not exist`);
      for (const frame of frames) {
        if (row.frames.some((existing) => existing.seq === frame.seq)) {
          throw new Error(`Frame ${frame.seq} of reply ${id} is already logged`);
        }
      }
      row.frames.push(...frames.map((frame) => ({ ...frame })));
      row.frames.sort((a, b) => a.seq - b.seq);
    },
    async frames(id, afterSeq) {
      return (responses.get(id)?.frames ?? [])
        .filter((frame) => frame.seq > afterSeq)
        .map((frame) => ({ ...frame }));
    },
    async setStatus(id, status) {
      const row = responses.get(id);
      if (row) Object.assign(row.response, { status, updated_at: now() });
    },
    async finish(id, status) {
      // The frames are here already: appends land where they are read.
      await store.setStatus(id, status);
    },
    async listRunning() {
      return [...responses.values()]
        .filter((row) => row.response.status === 'running')
        .map((row) => ({ ...row.response }));
    },
  };
  return { responses: store, clear: () => responses.clear() };
};
