/** @module Every area's repositories and the blob store in memory: what the mocks run the engine over. */
import { createMemoryChatRepositories, type MemoryResponseStore } from './chat/memory.js';
import { createMemoryChatKitRepositories } from './chatkit/memory.js';
import { createMemoryComputerUseRepositories } from './computer-use/memory.js';
import { createInMemoryConfigAreaRepositories } from './config/memory.js';
import type { Repositories } from './engine.js';
import { createMemoryEngineAreaRepositories } from './engines/memory.js';
import { createMemoryFileAreaRepositories } from './files/memory.js';
import { createInMemoryMemoryAreaRepositories } from './memory/memory.js';
import { createMemoryObservabilityRepositories } from './observability/memory.js';
import { createMemoryPersonaAreaRepositories } from './personas/memory.js';
import { createMemorySessionAreaRepositories } from './sessions/memory.js';

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
  const sessions = createMemorySessionAreaRepositories();
  const engines = createMemoryEngineAreaRepositories();
  const chatkit = createMemoryChatKitRepositories({
    onThreadDeleted: (id) => chat.responses.forgetThread(id),
    onSessionDeleted: (id) => {
      sessions.forgetSession(id);
      void engines.engines.deleteSession(id);
    },
  });
  const observability = createMemoryObservabilityRepositories();
  const memory = createInMemoryMemoryAreaRepositories();
  const config = createInMemoryConfigAreaRepositories();
  const files = createMemoryFileAreaRepositories();
  const personas = createMemoryPersonaAreaRepositories();
  const computerUse = createMemoryComputerUseRepositories();
  return {
    chatkit,
    chat,
    sessions,
    engines,
    observability,
    memory,
    config,
    files,
    personas,
    computerUse,
    clear() {
      chatkit.clear();
      chat.clear();
      sessions.clear();
      engines.clear();
      observability.clear();
      memory.clear();
      config.clear();
      files.clear();
      personas.clear();
      computerUse.clear();
    },
  };
};
