import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, sql } from 'kysely';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createSqliteDialect, NodeSqliteDatabase, openSqlite } from './sqlite-dialect.js';

function memory() {
  const database = openSqlite(':memory:');
  onTestFinished(() => {
    if (database.isOpen) database.close();
  });
  return database;
}

describe('node:sqlite adapter', () => {
  it('marks statements that return rows as readers, returning clauses included', () => {
    const adapter = new NodeSqliteDatabase(memory());
    adapter.prepare('create table t (x integer)').run([]);
    expect(adapter.prepare('select x from t').reader).toBe(true);
    expect(adapter.prepare('insert into t (x) values (?) returning x').reader).toBe(true);
    expect(adapter.prepare('insert into t (x) values (?)').reader).toBe(false);
    expect(adapter.prepare('delete from t').reader).toBe(false);
  });

  it('binds booleans, undefined and dates the way Kysely passes them', () => {
    const adapter = new NodeSqliteDatabase(memory());
    adapter.prepare('create table t (a, b, c)').run([]);
    const result = adapter.prepare('insert into t values (?, ?, ?)').run([true, undefined, new Date(0)]);
    expect(result).toEqual({ changes: 1, lastInsertRowid: 1 });
    expect(adapter.prepare('select a, b, c from t').all([])).toEqual([
      { a: 1, b: null, c: '1970-01-01T00:00:00.000Z' },
    ]);
    expect([...adapter.prepare('select a from t where a = ?').iterate([1])]).toEqual([{ a: 1 }]);
  });

  it('runs Kysely queries and transactions', async () => {
    const db = new Kysely<{ t: { x: number } }>({ dialect: createSqliteDialect(memory()) });
    onTestFinished(() => db.destroy());
    await db.schema.createTable('t').addColumn('x', 'integer').execute();
    const inserted = await db
      .insertInto('t')
      .values([{ x: 1 }, { x: 2 }])
      .executeTakeFirst();
    expect(inserted.numInsertedOrUpdatedRows).toBe(2n);
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ x: 3 }).execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await db.selectFrom('t').select('x').orderBy('x').execute()).toEqual([{ x: 1 }, { x: 2 }]);
    const { rows } = await sql<{ n: number }>`select count(*) as n from t`.execute(db);
    expect(rows).toEqual([{ n: 2 }]);
  });

  it('closes the database when Kysely is destroyed', async () => {
    const database = memory();
    const db = new Kysely({ dialect: createSqliteDialect(database) });
    await sql`select 1`.execute(db);
    await db.destroy();
    expect(database.isOpen).toBe(false);
  });

  it('hands the connection out one holder at a time, in the order they asked, transactions whole', async () => {
    const db = new Kysely<{ t: { x: number } }>({ dialect: createSqliteDialect(memory()) });
    onTestFinished(() => db.destroy());
    await db.schema.createTable('t').addColumn('x', 'integer').execute();
    const order: string[] = [];
    const transaction = db.transaction().execute(async (trx) => {
      order.push('transaction begins');
      await trx.insertInto('t').values({ x: 1 }).execute();
      // The transaction waits on something else while it holds the connection.
      await new Promise((resolve) => setTimeout(resolve, 20));
      await trx.insertInto('t').values({ x: 2 }).execute();
      order.push('transaction ends');
    });
    const queries = Array.from({ length: 200 }, (_, i) =>
      db
        .insertInto('t')
        .values({ x: 100 + i })
        .execute()
        .then(() => order.push(`query ${i}`)),
    );
    await Promise.all([transaction, ...queries]);
    expect(order).toEqual([
      'transaction begins',
      'transaction ends',
      ...Array.from({ length: 200 }, (_, i) => `query ${i}`),
    ]);
    const rows = await db.selectFrom('t').select('x').execute();
    expect(rows.map((row) => row.x)).toEqual([1, 2, ...Array.from({ length: 200 }, (_, i) => 100 + i)]);
  });
});

/** A Kysely over a new SQLite file, and a second connection to the same file that sees only commits. */
async function fileDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'cartrita-sqlite-'));
  const database = openSqlite(join(dir, 'test.db'));
  const db = new Kysely<{ t: { x: number } }>({ dialect: createSqliteDialect(database) });
  const other = new DatabaseSync(join(dir, 'test.db'));
  onTestFinished(async () => {
    other.close();
    await db.destroy();
    rmSync(dir, { recursive: true, force: true });
  });
  await db.schema
    .createTable('t')
    .addColumn('x', 'integer', (column) => column.unique())
    .execute();
  const committed = () =>
    (other.prepare('select x from t order by x').all() as { x: number }[]).map((row) => row.x);
  return { database, db, committed };
}

describe('group commit', () => {
  it('commits the writes made together at once, and answers each only once it is committed', async () => {
    const { db, committed } = await fileDatabase();
    const seen: number[][] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db
          .insertInto('t')
          .values({ x: i })
          .execute()
          .then(() => seen.push(committed())),
      ),
    );
    const all = Array.from({ length: 20 }, (_, i) => i);
    // Each caller hears back after the one commit of all twenty, never before its own row is committed.
    expect(seen).toEqual(Array.from({ length: 20 }, () => all));
  });

  it('fails a write alone when its statement fails, and commits the others of its group', async () => {
    const { db, committed } = await fileDatabase();
    const results = await Promise.allSettled(
      [1, 2, 1, 3].map((x) => db.insertInto('t').values({ x }).execute()),
    );
    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(String((results[2] as PromiseRejectedResult).reason)).toContain('UNIQUE constraint failed: t.x');
    expect(committed()).toEqual([1, 2, 3]);
  });

  it('tells every caller of a group that SQLite undid whole, and starts the next group afresh', async () => {
    const database = memory();
    const db = new Kysely<{ b: { v: Uint8Array } }>({ dialect: createSqliteDialect(database) });
    onTestFinished(() => db.destroy());
    await db.schema.createTable('b').addColumn('v', 'blob').execute();
    // A full database makes SQLite roll back the whole transaction, not only the statement.
    database.exec('pragma max_page_count = 20');
    const results = await Promise.allSettled(
      [10, 200_000, 20].map((size) =>
        db
          .insertInto('b')
          .values({ v: new Uint8Array(size) })
          .execute(),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected', 'fulfilled']);
    for (const result of results.slice(0, 2)) {
      expect(String((result as PromiseRejectedResult).reason)).toContain('database or disk is full');
    }
    const rows = await db.selectFrom('b').select('v').execute();
    expect(rows.map((row) => row.v.length)).toEqual([20]);
  });

  it('answers a read that sees the group writes once they are committed', async () => {
    const { db, committed } = await fileDatabase();
    void db.insertInto('t').values({ x: 7 }).execute();
    const rows = await db.selectFrom('t').select('x').execute();
    expect(rows).toEqual([{ x: 7 }]);
    expect(committed()).toEqual([7]);
  });

  it('commits the open group before a transaction begins, so rolling the transaction back keeps it', async () => {
    const { db, committed } = await fileDatabase();
    const write = db.insertInto('t').values({ x: 1 }).execute();
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('t').values({ x: 2 }).execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    await write;
    expect(committed()).toEqual([1]);
  });

  it('streams a select of committed rows, in a transaction or outside one', async () => {
    const { db } = await fileDatabase();
    const write = db
      .insertInto('t')
      .values([{ x: 1 }, { x: 2 }, { x: 3 }])
      .execute();
    const streamed: number[] = [];
    for await (const row of db.selectFrom('t').select('x').orderBy('x').stream()) streamed.push(row.x);
    await write;
    expect(streamed).toEqual([1, 2, 3]);
    const inTransaction = await db.transaction().execute(async (trx) => {
      await trx.insertInto('t').values({ x: 4 }).execute();
      const rows: number[] = [];
      for await (const row of trx.selectFrom('t').select('x').orderBy('x').stream()) rows.push(row.x);
      return rows;
    });
    expect(inTransaction).toEqual([1, 2, 3, 4]);
  });

  it('runs statements as they come inside a transaction opened on the database itself', async () => {
    const { database, db, committed } = await fileDatabase();
    database.exec('begin immediate');
    await db.insertInto('t').values({ x: 1 }).execute();
    expect(await db.selectFrom('t').select('x').execute()).toEqual([{ x: 1 }]);
    database.exec('rollback');
    expect(committed()).toEqual([]);
  });
});
