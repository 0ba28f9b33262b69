/** @module The memory area's repository in memory, by the SQL repository's rules. */
import type { MemoryAreaRepositories, MemoryStore, StoredMemory } from './repositories.js';

const copy = <T>(value: T): T => structuredClone(value);

/** The memory repository in memory, and a way to forget it. */
export interface InMemoryMemoryAreaRepositories extends MemoryAreaRepositories {
  clear(): void;
}

/**
 * The memory area's repository in memory.
 *
 * @example
 * const { memories } = createInMemoryMemoryAreaRepositories();
 */
export const createInMemoryMemoryAreaRepositories = (): InMemoryMemoryAreaRepositories => {
  const rows = new Map<string, StoredMemory & { seq: number }>();
  let seq = 0;
  const strip = ({ seq: _seq, ...memory }: StoredMemory & { seq: number }): StoredMemory => copy(memory);
  const newestFirst = (filter: (row: StoredMemory) => boolean) =>
    [...rows.values()].filter(filter).sort((a, b) => b.seq - a.seq);
  const owned = (id: string, userId: string) => {
    const row = rows.get(id);
    return row?.user_id === userId ? row : undefined;
  };
  const store: MemoryStore = {
    async create(memory) {
      if (rows.has(memory.id)) throw new Error(`A memory ${memory.id} already exists`);
      const row = { ...copy(memory), seq: ++seq };
      rows.set(memory.id, row);
      return strip(row);
    },
    async get(id, userId) {
      const row = owned(id, userId);
      return row && strip(row);
    },
    async list({ user_id, type, limit, offset }) {
      const matching = newestFirst(
        (row) => row.user_id === user_id && (type === undefined || row.type === type),
      );
      return { memories: matching.slice(offset, offset + limit).map(strip), total: matching.length };
    },
    async update(id, userId, change) {
      const row = owned(id, userId);
      if (!row) return undefined;
      if (change.content !== undefined) row.content = change.content;
      if (change.metadata !== undefined) row.metadata = copy(change.metadata);
      return strip(row);
    },
    async delete(id, userId) {
      return owned(id, userId) !== undefined && rows.delete(id);
    },
    async clear({ user_id, type, older_than, session_id }) {
      let cleared = 0;
      for (const [id, row] of rows) {
        if (row.user_id !== user_id) continue;
        if (session_id !== undefined && row.session_id !== session_id) continue;
        if (type !== undefined && row.type !== type) continue;
        if (older_than !== undefined && !(row.timestamp < older_than)) continue;
        if (rows.delete(id)) cleared += 1;
      }
      return cleared;
    },
    async candidates({ user_id, session_id, limit }) {
      return newestFirst(
        (row) => row.user_id === user_id && (row.type !== 'conversation' || row.session_id === session_id),
      )
        .slice(0, limit)
        .map(strip);
    },
  };
  return {
    memories: store,
    clear() {
      rows.clear();
    },
  };
};
