/**
 * @module The implementations of the engine's repository ports that every repository suite runs on:
 * in memory (the engine's own, which the mocks use) and over SQL on SQLite and PostgreSQL (the
 * server's). One suite, three implementations: the mocks cannot keep records by other rules.
 */
import {
  type ChatKitRepositories,
  type ChatRepositories,
  type ComputerUseRepositories,
  type ConfigAreaRepositories,
  createMemoryRepositories,
  type EngineAreaRepositories,
  type FileAreaRepositories,
  type MemoryAreaRepositories,
  type ObservabilityRepositories,
  type PersonaAreaRepositories,
  type SessionAreaRepositories,
} from '@cartrita/engine';
import { onTestFinished } from 'vitest';
import { openStorage } from '../../reference-server/src/storage/index.js';
import { postgresEngine, sqliteEngine } from '../engines.js';

/** Every repository of every area, side by side, as the suites use them. */
export type AllRepositories = ChatKitRepositories &
  ChatRepositories &
  SessionAreaRepositories &
  EngineAreaRepositories &
  ObservabilityRepositories &
  MemoryAreaRepositories &
  ConfigAreaRepositories &
  FileAreaRepositories &
  PersonaAreaRepositories &
  ComputerUseRepositories;

/** One implementation of the repository ports. */
export interface RepositoryImplementation {
  /** Its name, for test titles (`$name` in `describe.each`). */
  readonly name: 'memory' | 'sqlite' | 'postgres';
  /** Fresh, empty repositories for the calling test, closed when it finishes. */
  open(): Promise<{ store: AllRepositories }>;
}

const sql = (engine: typeof sqliteEngine): RepositoryImplementation => ({
  name: engine.name,
  async open() {
    const { url, dataDir } = await engine.createDatabase();
    const storage = await openStorage({ url, dataDir });
    onTestFinished(() => storage.close());
    return { store: storage.store };
  },
});

/** The engine's in-memory repositories. */
export const memoryRepositories: RepositoryImplementation = {
  name: 'memory',
  async open() {
    const { chatkit, chat, sessions, engines, observability, memory, config, files, personas, computerUse } =
      createMemoryRepositories();
    return {
      store: {
        ...chatkit,
        ...chat,
        ...sessions,
        ...engines,
        ...observability,
        ...memory,
        ...config,
        ...files,
        ...personas,
        ...computerUse,
      },
    };
  },
};

/** Every implementation, for `describe.each(implementations)('... on $name', (implementation) => ...)`. */
export const implementations: readonly RepositoryImplementation[] = [
  memoryRepositories,
  sql(sqliteEngine),
  sql(postgresEngine),
];
