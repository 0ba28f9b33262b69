/** @module Every area's repositories and the blob store in memory: what the mocks run the engine over. */
import { createMemoryChatRepositories, type MemoryResponseStore } from './chat/memory.js';
import { createMemoryChatKitRepositories } from './chatkit/memory.js';
import type { Repositories } from './engine.js';
import { createMemoryObservabilityRepositories } from './observability/memory.js';

/** In-memory repositories of every area, and a way to forget everything. */
export interface MemoryRepositories extends Repositories {
  chat: Repositories['chat'] & { responses: MemoryResponseStore };
  /** Forgets every record of every area. */
  clear(): void;
}

/**
 * The repositories of every area, in memory.
 *
 * @example
 * const engine = createEngine({ repositories: createMemoryRepositories(), blobs: createMemoryBlobStore(), ... });
 */
export const createMemoryRepositories = (): MemoryRepositories => {
  const chat = createMemoryChatRepositories();
  const chatkit = createMemoryChatKitRepositories({
    onThreadDeleted: (id) => chat.responses.forgetThread(id),
  });
  const observability = createMemoryObservabilityRepositories();
  return {
    chatkit,
    chat,
    observability,
    clear() {
      chatkit.clear();
      chat.clear();
      observability.clear();
    },
  };
};
