import { type ColumnDefinitionBuilder, type Kysely, sql } from 'kysely';
import type { EngineMigration } from './engine-migration.js';

/**
 * LLMGine (seed 001): sessions gain a name and metadata and may never expire; commands, events,
 * tools, handlers and engines belong to a session and go with it.
 */
export const llmgineMigration: EngineMigration = {
  async up(db: Kysely<unknown>, columns) {
    if (columns.engine === 'postgres') {
      await sql`alter table sessions alter column expires_at drop not null`.execute(db);
      await db.schema.alterTable('sessions').addColumn('name', 'text').execute();
      await db.schema
        .alterTable('sessions')
        .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
        .execute();
    } else {
      // SQLite cannot drop a NOT NULL in place: the table is rebuilt (nothing references it yet).
      await db.schema
        .createTable('sessions_next')
        .addColumn('id', 'text', (col) => col.primaryKey())
        .addColumn('user_id', 'text', (col) => col.notNull())
        .addColumn('created_at', 'text', (col) => col.notNull())
        .addColumn('expires_at', 'text')
        .addColumn('revoked', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('name', 'text')
        .addColumn('metadata', 'text', (col) => col.notNull().defaultTo('{}'))
        .execute();
      await sql`insert into sessions_next (id, user_id, created_at, expires_at, revoked)
        select id, user_id, created_at, expires_at, revoked from sessions`.execute(db);
      await db.schema.dropTable('sessions').execute();
      await db.schema.alterTable('sessions_next').renameTo('sessions').execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
    }

    const session = (col: ColumnDefinitionBuilder) =>
      col.notNull().references('sessions.id').onDelete('cascade');

    await columns
      .addSeq(db.schema.createTable('commands'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('session_id', 'text', session)
      .addColumn('command_type', 'text', (col) => col.notNull())
      .addColumn('parameters', 'text', (col) => col.notNull())
      .addColumn('metadata', 'text', (col) => col.notNull())
      // 0 high, 1 normal, 2 low: the queue's order before `seq`.
      .addColumn('priority', 'integer', (col) => col.notNull())
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('result', 'text')
      .addColumn('error', 'text')
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('started_at', 'text')
      .addColumn('completed_at', 'text')
      .addColumn('runner', 'text')
      .addColumn('lease_expires_at', 'text')
      .execute();
    await db.schema
      .createIndex('commands_queue')
      .on('commands')
      .columns(['session_id', 'status', 'priority', 'seq'])
      .execute();
    await db.schema
      .createIndex('commands_status')
      .on('commands')
      .columns(['status', 'lease_expires_at'])
      .execute();

    await columns
      .addSeq(db.schema.createTable('session_events'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('session_id', 'text', session)
      .addColumn('event_type', 'text', (col) => col.notNull())
      .addColumn('data', 'text', (col) => col.notNull())
      .addColumn('metadata', 'text', (col) => col.notNull())
      .addColumn('timestamp', 'text', (col) => col.notNull())
      .execute();
    await db.schema
      .createIndex('session_events_session')
      .on('session_events')
      .columns(['session_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('session_events_type')
      .on('session_events')
      .columns(['session_id', 'event_type', 'seq'])
      .execute();

    await db.schema
      .createTable('tools')
      .addColumn('session_id', 'text', session)
      .addColumn('name', 'text', (col) => col.notNull())
      .addColumn('description', 'text', (col) => col.notNull())
      .addColumn('parameters', 'text', (col) => col.notNull())
      .addColumn('function_code', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('tools_pk', ['session_id', 'name'])
      .execute();

    await db.schema
      .createTable('handlers')
      .addColumn('session_id', 'text', session)
      .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind in ('command', 'event')`))
      .addColumn('type', 'text', (col) => col.notNull())
      .addColumn('code', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addPrimaryKeyConstraint('handlers_pk', ['session_id', 'kind', 'type'])
      .execute();

    await columns
      .addSeq(db.schema.createTable('engines'))
      .addColumn('id', 'text', (col) => col.notNull().unique())
      .addColumn('session_id', 'text', session)
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('engine_type', 'text', (col) => col.notNull())
      .addColumn('model_name', 'text')
      .addColumn('status', 'text', (col) => col.notNull())
      .addColumn('configuration', 'text', (col) => col.notNull())
      .addColumn('executions', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('input_tokens', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('output_tokens', 'integer', (col) => col.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('last_used_at', 'text')
      .execute();
    await db.schema.createIndex('engines_user').on('engines').columns(['user_id', 'seq']).execute();
    await db.schema.createIndex('engines_session').on('engines').column('session_id').execute();
  },

  async down(db: Kysely<unknown>, columns) {
    for (const table of ['engines', 'handlers', 'tools', 'session_events', 'commands']) {
      await db.schema.dropTable(table).execute();
    }
    // Sessions that never expire cannot be kept by the older schema.
    await sql`delete from sessions where expires_at is null`.execute(db);
    if (columns.engine === 'postgres') {
      await db.schema.alterTable('sessions').dropColumn('metadata').execute();
      await db.schema.alterTable('sessions').dropColumn('name').execute();
      await sql`alter table sessions alter column expires_at set not null`.execute(db);
      return;
    }
    await db.schema
      .createTable('sessions_previous')
      .addColumn('id', 'text', (col) => col.primaryKey())
      .addColumn('user_id', 'text', (col) => col.notNull())
      .addColumn('created_at', 'text', (col) => col.notNull())
      .addColumn('expires_at', 'text', (col) => col.notNull())
      .addColumn('revoked', 'integer', (col) => col.notNull().defaultTo(0))
      .execute();
    await sql`insert into sessions_previous (id, user_id, created_at, expires_at, revoked)
      select id, user_id, created_at, expires_at, revoked from sessions`.execute(db);
    await db.schema.dropTable('sessions').execute();
    await db.schema.alterTable('sessions_previous').renameTo('sessions').execute();
    await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
  },
};
