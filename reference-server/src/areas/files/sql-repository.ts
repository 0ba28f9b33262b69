/**
 * @module The files area's repositories over SQL: files, and the search port over their chunks,
 * with SQLite's FTS5 (`bm25()`) or PostgreSQL's full-text search (`ts_rank` on a `tsvector`).
 */
import {
  type ChunkHit,
  type ChunkIndex,
  type FileAreaRepositories,
  type FileStore,
  queryTerms,
  type StoredFile,
} from '@cartrita/engine';
import { type Kysely, PostgresAdapter, type Selectable, sql } from 'kysely';
import type { Database, FilesTable } from '../../storage/schema.js';

const toFile = ({ seq: _seq, ...row }: Selectable<FilesTable>): StoredFile => ({
  ...row,
  size: Number(row.size),
  progress: Number(row.progress),
  chunks_created: Number(row.chunks_created),
});

const isPostgres = (db: Kysely<Database>): boolean => db.getExecutor().adapter instanceof PostgresAdapter;

/** Builds the {@link FileStore} over a database. */
export function createFileStore(db: Kysely<Database>): FileStore {
  // SQLite's two-argument max() is PostgreSQL's greatest().
  const larger = isPostgres(db) ? 'greatest' : 'max';
  return {
    async create(file) {
      const row = await db.insertInto('files').values(file).returningAll().executeTakeFirstOrThrow();
      return toFile(row);
    },

    async get(id) {
      const row = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toFile(row);
    },

    async list(userId) {
      const rows = await db
        .selectFrom('files')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('seq', 'desc')
        .execute();
      return rows.map(toFile);
    },

    async update(id, update) {
      const row = await db
        .updateTable('files')
        .set((eb) => ({
          status: update.status,
          // Progress only grows, even when two updates cross.
          progress: eb.fn<number>(larger, [eb.ref('progress'), eb.val(update.progress)]),
          ...(update.chunks_created === undefined ? {} : { chunks_created: update.chunks_created }),
          ...(update.error === undefined ? {} : { error: update.error }),
          updated_at: update.updated_at,
        }))
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      return row && toFile(row);
    },

    async delete(id) {
      const result = await db.deleteFrom('files').where('id', '=', id).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    async unfinished() {
      const rows = await db
        .selectFrom('files')
        .selectAll()
        .where('status', 'in', ['pending', 'processing'])
        .orderBy('seq', 'asc')
        .execute();
      return rows.map(toFile);
    },
  };
}

/** Builds the search port over a database: FTS5 on SQLite, `tsvector` on PostgreSQL. */
export function createChunkIndex(db: Kysely<Database>): ChunkIndex {
  const postgres = isPostgres(db);
  return {
    async replace(fileId, chunks) {
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('file_chunks').where('file_id', '=', fileId).execute();
        // In slices, to stay under either engine's limit of bound parameters.
        for (let start = 0; start < chunks.length; start += 200) {
          await trx
            .insertInto('file_chunks')
            .values(
              chunks.slice(start, start + 200).map((chunk) => ({
                file_id: chunk.file_id,
                user_id: chunk.user_id,
                chunk_index: chunk.index,
                text: chunk.text,
              })),
            )
            .execute();
        }
      });
    },

    async search({ user_id, query, file_ids, limit = 10 }) {
      const terms = queryTerms(query);
      if (terms.length === 0 || (file_ids !== undefined && file_ids.length === 0)) return [];
      const only =
        file_ids === undefined
          ? sql``
          : sql`and c.file_id in (${sql.join(file_ids.map((id) => sql`${id}`))})`;
      if (postgres) {
        // The terms are letters and digits only, so joined with `|` they are a valid tsquery.
        const tsquery = terms.join(' | ');
        const { rows } = await sql<{ file_id: string; chunk_index: number; text: string; score: number }>`
          select c.file_id, c.chunk_index, c.text, ts_rank(c.tsv, q.query) as score
          from file_chunks c, to_tsquery('english', ${tsquery}) as q(query)
          where c.user_id = ${user_id} and c.tsv @@ q.query ${only}
          order by score desc, c.file_id, c.chunk_index
          limit ${limit}`.execute(db);
        return rows.map(
          (row): ChunkHit => ({
            file_id: row.file_id,
            index: Number(row.chunk_index),
            text: row.text,
            score: Number(row.score),
          }),
        );
      }
      // Each term quoted, so FTS5 reads it as a word, never as syntax.
      const match = terms.map((term) => `"${term}"`).join(' OR ');
      const { rows } = await sql<{ file_id: string; chunk_index: number; text: string; rank: number }>`
        select c.file_id, c.chunk_index, c.text, bm25(file_chunks_fts) as rank
        from file_chunks_fts join file_chunks c on c.seq = file_chunks_fts.rowid
        where file_chunks_fts match ${match} and c.user_id = ${user_id} ${only}
        order by rank, c.file_id, c.chunk_index
        limit ${limit}`.execute(db);
      // bm25() is lower for better matches; the port's score is higher for them.
      return rows.map(
        (row): ChunkHit => ({
          file_id: row.file_id,
          index: Number(row.chunk_index),
          text: row.text,
          score: -Number(row.rank),
        }),
      );
    },

    async deleteFile(fileId) {
      const result = await db.deleteFrom('file_chunks').where('file_id', '=', fileId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** The files area's repositories over a migrated database. */
export const createFileAreaSqlRepositories = (db: Kysely<Database>): FileAreaRepositories => ({
  files: createFileStore(db),
  chunks: createChunkIndex(db),
});
