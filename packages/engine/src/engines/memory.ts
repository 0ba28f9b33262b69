/** @module The engines area's repository in memory, by the SQL repository's rules. */
import type { EngineAreaRepositories, EngineStore, StoredEngine } from './repositories.js';

const copy = <T>(value: T): T => structuredClone(value);

/** The engines repository in memory, and a way to forget it. */
export interface MemoryEngineAreaRepositories extends EngineAreaRepositories {
  clear(): void;
}

/**
 * The engines area's repository in memory.
 *
 * @example
 * const { engines } = createMemoryEngineAreaRepositories();
 */
export const createMemoryEngineAreaRepositories = (): MemoryEngineAreaRepositories => {
  const engines = new Map<string, StoredEngine & { seq: number }>();
  let seq = 0;
  const strip = ({ seq: _seq, ...engine }: StoredEngine & { seq: number }): StoredEngine => copy(engine);
  const store: EngineStore = {
    async create(engine) {
      if (engines.has(engine.id)) throw new Error(`An engine ${engine.id} already exists`);
      const row = { ...copy(engine), seq: ++seq };
      engines.set(engine.id, row);
      return strip(row);
    },
    async get(id) {
      const row = engines.get(id);
      return row && strip(row);
    },
    async list({ user_id, session_id, status }) {
      return [...engines.values()]
        .filter(
          (row) =>
            row.user_id === user_id &&
            (session_id === undefined || row.session_id === session_id) &&
            (status === undefined || row.status === status),
        )
        .sort((a, b) => b.seq - a.seq)
        .map(strip);
    },
    async update(id, update) {
      const row = engines.get(id);
      if (!row) return undefined;
      row.status = update.status;
      if (update.usage) {
        row.executions += update.usage.executions;
        row.input_tokens += update.usage.input_tokens;
        row.output_tokens += update.usage.output_tokens;
      }
      if (update.last_used_at !== undefined) row.last_used_at = update.last_used_at;
      return strip(row);
    },
    async delete(id) {
      return engines.delete(id);
    },
    async count(sessionId) {
      return [...engines.values()].filter((row) => row.session_id === sessionId).length;
    },
    async deleteSession(sessionId) {
      let deleted = 0;
      for (const [id, row] of engines) {
        if (row.session_id === sessionId && engines.delete(id)) deleted += 1;
      }
      return deleted;
    },
  };
  return {
    engines: store,
    clear() {
      engines.clear();
    },
  };
};
