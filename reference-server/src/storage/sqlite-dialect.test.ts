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
