/** @module The files area's repositories in memory, by the SQL repositories' rules. */
import type {
  ChunkHit,
  ChunkIndex,
  ChunkRecord,
  FileAreaRepositories,
  FileStore,
  StoredFile,
} from './repositories.js';
import { queryTerms } from './search-terms.js';

const copy = <T>(value: T): T => structuredClone(value);

const wordsOf = (text: string): string[] => [...(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])];

/** The files area's repositories in memory, and a way to forget them. */
export interface MemoryFileAreaRepositories extends FileAreaRepositories {
  clear(): void;
}

/**
 * Scores a chunk for the terms: each term's count in the chunk, damped for long chunks, weighted by
 * how rare the term is among the chunks searched (a small BM25).
 */
const score = (words: readonly string[], terms: readonly string[], df: Map<string, number>, n: number) => {
  let total = 0;
  for (const term of terms) {
    const tf = words.filter((word) => word === term).length;
    if (tf === 0) continue;
    const idf = Math.log(1 + (n - (df.get(term) ?? 0) + 0.5) / ((df.get(term) ?? 0) + 0.5));
    total += idf * ((tf * 2.2) / (tf + 1.2 * (0.25 + 0.75 * (words.length / 100))));
  }
  return total;
};

/**
 * The files area's repositories in memory.
 *
 * @example
 * const { files, chunks } = createMemoryFileAreaRepositories();
 */
export const createMemoryFileAreaRepositories = (): MemoryFileAreaRepositories => {
  const rows = new Map<string, StoredFile & { seq: number }>();
  const chunkRows = new Map<string, ChunkRecord[]>();
  let seq = 0;
  const strip = ({ seq: _seq, ...file }: StoredFile & { seq: number }): StoredFile => copy(file);
  const files: FileStore = {
    async create(file) {
      if (rows.has(file.id)) throw new Error(`A file ${file.id} already exists`);
      const row = { ...copy(file), seq: ++seq };
      rows.set(file.id, row);
      return strip(row);
    },
    async get(id) {
      const row = rows.get(id);
      return row && strip(row);
    },
    async list(userId) {
      return [...rows.values()]
        .filter((row) => row.user_id === userId)
        .sort((a, b) => b.seq - a.seq)
        .map(strip);
    },
    async update(id, update) {
      const row = rows.get(id);
      if (!row) return undefined;
      row.status = update.status;
      row.progress = Math.max(row.progress, update.progress);
      if (update.chunks_created !== undefined) row.chunks_created = update.chunks_created;
      if (update.error !== undefined) row.error = update.error;
      row.updated_at = update.updated_at;
      return strip(row);
    },
    async delete(id) {
      return rows.delete(id);
    },
    async unfinished() {
      return [...rows.values()]
        .filter((row) => row.status === 'pending' || row.status === 'processing')
        .sort((a, b) => a.seq - b.seq)
        .map(strip);
    },
  };
  const chunks: ChunkIndex = {
    async replace(fileId, records) {
      chunkRows.set(fileId, copy([...records]));
    },
    async search({ user_id, query, file_ids, limit = 10 }) {
      const terms = queryTerms(query);
      if (terms.length === 0) return [];
      const candidates = [...chunkRows.entries()]
        .filter(([fileId]) => file_ids === undefined || file_ids.includes(fileId))
        .flatMap(([, records]) => records.filter((record) => record.user_id === user_id))
        .map((record) => ({ record, words: wordsOf(record.text) }));
      const df = new Map<string, number>();
      for (const term of terms) {
        df.set(term, candidates.filter(({ words }) => words.includes(term)).length);
      }
      const hits: ChunkHit[] = candidates
        .map(({ record, words }) => ({
          file_id: record.file_id,
          index: record.index,
          text: record.text,
          score: score(words, terms, df, candidates.length),
        }))
        .filter((hit) => hit.score > 0);
      hits.sort((a, b) => b.score - a.score || a.file_id.localeCompare(b.file_id) || a.index - b.index);
      return hits.slice(0, limit);
    },
    async deleteFile(fileId) {
      const count = chunkRows.get(fileId)?.length ?? 0;
      chunkRows.delete(fileId);
      return count;
    },
  };
  return {
    files,
    chunks,
    clear() {
      rows.clear();
      chunkRows.clear();
    },
  };
};
