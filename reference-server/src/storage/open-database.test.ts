import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { engines, postgresAdminUrl } from '../../../tests/engines.js';
import { createTestPostgresDatabase } from '../../../tests/postgres.js';
import { createMigrator, migrateToLatest, migrations } from './migrate.js';
import { openDatabase, parseDatabaseUrl } from './open-database.js';

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-open-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('parseDatabaseUrl', () => {
  it('defaults to cartrita.sqlite in the data directory', () => {
    expect(parseDatabaseUrl(undefined, '/data')).toEqual({ engine: 'sqlite', path: '/data/cartrita.sqlite' });
    expect(parseDatabaseUrl('  ', '/data')).toEqual({ engine: 'sqlite', path: '/data/cartrita.sqlite' });
    expect(parseDatabaseUrl('sqlite://', '/data')).toEqual({
      engine: 'sqlite',
      path: '/data/cartrita.sqlite',
    });
  });

  it('reads SQLite URLs, file URLs, plain paths and :memory:', () => {
    expect(parseDatabaseUrl('sqlite:///var/lib/c.sqlite', '/data')).toEqual({
      engine: 'sqlite',
      path: '/var/lib/c.sqlite',
    });
    expect(parseDatabaseUrl('sqlite:rel/c.sqlite', '/data')).toEqual({
      engine: 'sqlite',
      path: resolve('rel/c.sqlite'),
    });
    expect(parseDatabaseUrl('file:///tmp/a%20b.sqlite', '/data')).toEqual({
      engine: 'sqlite',
      path: '/tmp/a b.sqlite',
    });
    expect(parseDatabaseUrl('/tmp/c.sqlite', '/data')).toEqual({ engine: 'sqlite', path: '/tmp/c.sqlite' });
    expect(parseDatabaseUrl(':memory:', '/data')).toEqual({ engine: 'sqlite', path: ':memory:' });
    expect(parseDatabaseUrl('sqlite::memory:', '/data')).toEqual({ engine: 'sqlite', path: ':memory:' });
  });

  it('reads postgres:// and postgresql:// URLs', () => {
    for (const url of ['postgres://u:p@db:5432/app', 'postgresql://db/app?sslmode=require']) {
      expect(parseDatabaseUrl(url, '/data')).toEqual({ engine: 'postgres', url });
    }
  });

  it('rejects other URL schemes', () => {
    expect(() => parseDatabaseUrl('mysql://db/app', '/data')).toThrow(/Unsupported database URL scheme/);
  });
});

describe('openDatabase on SQLite', () => {
  it('creates the data directory and the database file in WAL mode with foreign keys on', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const database = await openDatabase({ dataDir });
    onTestFinished(() => database.close());
    expect(database.engine).toBe('sqlite');
    expect(database.location).toBe(join(dataDir, 'cartrita.sqlite'));
    expect(existsSync(join(dataDir, 'cartrita.sqlite'))).toBe(true);
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('opens an in-memory database', async () => {
    const database = await openDatabase({ url: ':memory:', dataDir: tempDir() });
    onTestFinished(() => database.close());
    expect(await database.db.selectFrom('threads').selectAll().execute()).toEqual([]);
  });

  it('keeps data across a close and a reopen', async () => {
    const dataDir = tempDir();
    const first = await openDatabase({ dataDir });
    await first.db
      .insertInto('sessions')
      .values({ id: 'sess_1', user_id: 'u', created_at: 'a', expires_at: 'b', revoked: 0 })
      .execute();
    await first.close();
    const second = await openDatabase({ dataDir });
    onTestFinished(() => second.close());
    expect(await second.db.selectFrom('sessions').select('id').execute()).toEqual([{ id: 'sess_1' }]);
  });
});

describe('openDatabase on PostgreSQL', () => {
  it('migrates a fresh database in its public schema and names it without the password', async () => {
    const target = await createTestPostgresDatabase(await postgresAdminUrl());
    onTestFinished(() => target.drop());
    const url = new URL(target.url);
    url.password = 'not-a-secret';
    const database = await openDatabase({ url: url.toString(), dataDir: tempDir() });
    onTestFinished(() => database.close());
    expect(database.location).not.toContain('not-a-secret');
    const tables = await database.db.introspection.getTables({ withInternalKyselyTables: true });
    expect(new Set(tables.map((table) => table.schema))).toEqual(new Set(['public']));
    expect(tables).toHaveLength(24);
  });

  it('refuses a search_path that names no existing schema', async () => {
    const url = new URL(await postgresAdminUrl());
    url.searchParams.set('options', '-c search_path=no_such_schema');
    await expect(openDatabase({ url: url.toString(), dataDir: tempDir() })).rejects.toThrow(/search_path/);
  });
});

describe.each(engines)('openDatabase on $name', (engine) => {
  it('migrates a fresh database to the latest schema', async () => {
    const { url, dataDir } = await engine.createDatabase();
    const database = await openDatabase({ url, dataDir });
    onTestFinished(() => database.close());
    expect(database.engine).toBe(engine.name);
    const migrations = await createMigrator(database.db, database.engine).getMigrations();
    expect(migrations.map((migration) => [migration.name, migration.executedAt !== undefined])).toEqual([
      ['0001-initial', true],
      ['0002-chat-responses', true],
      ['0003-llmgine', true],
      ['0004-observability', true],
      ['0005-files', true],
      ['0006-memory-config', true],
      ['0007-personas', true],
      ['0008-conversations', true],
      ['0009-computer-use', true],
      ['0010-chat-frame-log', true],
    ]);
    const tables = (await database.db.introspection.getTables()).map((table) => table.name).sort();
    expect(tables).toEqual([
      'attachments',
      // SQLite keeps live replies' frames in arrival order apart from the indexed log.
      ...(engine.name === 'sqlite' ? ['chat_frame_log'] : []),
      'chat_frames',
      'chat_responses',
      'commands',
      'computer_use_runs',
      'config_sections',
      'engines',
      'feedback',
      'file_chunks',
      // SQLite's full-text index of file chunks is an FTS5 table with its shadow tables.
      ...(engine.name === 'sqlite'
        ? [
            'file_chunks_fts',
            'file_chunks_fts_config',
            'file_chunks_fts_data',
            'file_chunks_fts_docsize',
            'file_chunks_fts_idx',
          ]
        : []),
      'files',
      'handlers',
      'idempotency_keys',
      'log_entries',
      'memories',
      'persona_modules',
      'personas',
      'session_events',
      'sessions',
      'thread_items',
      'threads',
      'tools',
      'trace_spans',
    ]);
    expect(await migrateToLatest(database.db, database.engine)).toEqual([]);
  });

  it('migrates once when several servers open the same database at the same moment', async () => {
    const { url, dataDir } = await engine.createDatabase();
    const opened = await Promise.all(Array.from({ length: 4 }, () => openDatabase({ url, dataDir })));
    onTestFinished(() => Promise.all(opened.map((database) => database.close())).then(() => {}));
    const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(opened[0]!.db);
    expect(rows).toEqual([
      { name: '0001-initial' },
      { name: '0002-chat-responses' },
      { name: '0003-llmgine' },
      { name: '0004-observability' },
      { name: '0005-files' },
      { name: '0006-memory-config' },
      { name: '0007-personas' },
      { name: '0008-conversations' },
      { name: '0009-computer-use' },
      { name: '0010-chat-frame-log' },
    ]);
    await opened[3]!.db
      .insertInto('sessions')
      .values({
        id: 'sess_1',
        user_id: 'u',
        created_at: 'a',
        expires_at: 'b',
        revoked: 0,
      })
      .execute();
    expect(await opened[1]!.db.selectFrom('sessions').select('id').execute()).toEqual([{ id: 'sess_1' }]);
  });

  it('migrates all the way down and up again', async () => {
    const { url, dataDir } = await engine.createDatabase();
    const database = await openDatabase({ url, dataDir });
    onTestFinished(() => database.close());
    const migrator = createMigrator(database.db, database.engine);
    for (let step = 0; step < Object.keys(migrations).length; step++) {
      const down = await migrator.migrateDown();
      expect(down.error).toBeUndefined();
    }
    expect((await database.db.introspection.getTables()).map((table) => table.name)).toEqual([]);
    expect(await migrateToLatest(database.db, database.engine)).toEqual([
      '0001-initial',
      '0002-chat-responses',
      '0003-llmgine',
      '0004-observability',
      '0005-files',
      '0006-memory-config',
      '0007-personas',
      '0008-conversations',
      '0009-computer-use',
      '0010-chat-frame-log',
    ]);
  });

  it('keeps the ChatKit sessions of an older schema when sessions gain names and metadata', async () => {
    const { url, dataDir } = await engine.createDatabase();
    const database = await openDatabase({ url, dataDir });
    onTestFinished(() => database.close());
    const migrator = createMigrator(database.db, database.engine);
    expect((await migrator.migrateTo('0002-chat-responses')).error).toBeUndefined();
    await sql`insert into sessions (id, user_id, created_at, expires_at, revoked)
      values ('sess_old', 'usr_1', '2026-01-01T00:00:00.000Z', '2026-01-01T01:00:00.000Z', 1)`.execute(
      database.db,
    );
    expect(await migrateToLatest(database.db, database.engine)).toEqual([
      '0003-llmgine',
      '0004-observability',
      '0005-files',
      '0006-memory-config',
      '0007-personas',
      '0008-conversations',
      '0009-computer-use',
      '0010-chat-frame-log',
    ]);
    expect(await database.db.selectFrom('sessions').selectAll().execute()).toEqual([
      {
        id: 'sess_old',
        user_id: 'usr_1',
        created_at: '2026-01-01T00:00:00.000Z',
        expires_at: '2026-01-01T01:00:00.000Z',
        revoked: 1,
        name: null,
        metadata: '{}',
      },
    ]);
  });

  it('closes more than once without failing', async () => {
    const { url, dataDir } = await engine.createDatabase();
    const database = await openDatabase({ url, dataDir });
    await database.close();
    await database.close();
    await expect(database.db.selectFrom('threads').selectAll().execute()).rejects.toThrow();
  });
});
