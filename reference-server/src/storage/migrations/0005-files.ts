import { type Kysely, sql } from 'kysely';
import type { EngineColumns } from '../engine-columns.js';
import type { EngineMigration } from './engine-migration.js';

/**
 * Uploaded files and the chunks of their text, searchable: on SQLite through an FTS5 index kept in
 * step with `file_chunks` by triggers (ranked with `bm25()`), on PostgreSQL through a stored
 * `tsvector` column under a GIN index (ranked with `ts_rank`).
 */
export const filesMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns: EngineColumns) {
    await columns
      .addSeq(db.schema.createTable('files'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('filename', 'text', (col) => col.notNull())
      .addColumn('content_type', 'text', (col) => col.notNull())
      .addColumn('size', 'bigint', (col) => col.notNull())
      .addColumn('blob_key', 'text', (col) => col.notNull())
      .addColumn('status', 'text', (col) =>
        col.notNull().check(sql`status in ('pending', 'processing', 'completed', 'failed')`),
      )
      .addColumn('progress', 'integer', (col) => col.notNull().check(sql`progress between 0 and 100`))
      .addColumn('chunks_created', 'integer', (col) => col.notNull())
      .addColumn('error', 'text')
      .addColumn('conversation_id', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('updated_at', 'text', (col) => col.notNull())
      .execute();
    // A user's files newest first; the queue's unfinished files oldest first.
    await db.schema.createIndex('files_user_seq').on('files').columns(['user_id', 'seq']).execute();
    await db.schema.createIndex('files_status_seq').on('files').columns(['status', 'seq']).execute();

    let chunks = columns
      .addSeq(db.schema.createTable('file_chunks'))
      .addColumn('file_id', 'text', (col) => col.notNull())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('chunk_index', 'integer', (col) => col.notNull())
      .addColumn('text', 'text', (col) => col.notNull())
      .addUniqueConstraint('file_chunks_file_index', ['file_id', 'chunk_index']);
    if (columns.engine === 'postgres') {
      chunks = chunks.addColumn('tsv', sql`tsvector`, (col) =>
        col.generatedAlwaysAs(sql`to_tsvector('english', text)`).stored(),
      );
    }
    await chunks.execute();
    await db.schema.createIndex('file_chunks_user').on('file_chunks').column('user_id').execute();

    if (columns.engine === 'postgres') {
      await sql`create index file_chunks_tsv on file_chunks using gin (tsv)`.execute(db);
      return;
    }
    await sql`create virtual table file_chunks_fts using fts5(
      text, content='file_chunks', content_rowid='seq', tokenize='porter unicode61'
    )`.execute(db);
    await sql`create trigger file_chunks_fts_insert after insert on file_chunks begin
      insert into file_chunks_fts (rowid, text) values (new.seq, new.text);
    end`.execute(db);
    await sql`create trigger file_chunks_fts_delete after delete on file_chunks begin
      insert into file_chunks_fts (file_chunks_fts, rowid, text) values ('delete', old.seq, old.text);
    end`.execute(db);
  },

  async down(db: Kysely<unknown>, columns: EngineColumns) {
    if (columns.engine === 'sqlite') await sql`drop table file_chunks_fts`.execute(db);
    await db.schema.dropTable('file_chunks').execute();
    await db.schema.dropTable('files').execute();
  },
};
