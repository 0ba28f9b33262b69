/** @module The personas area's repositories over SQL: personas and modules. */
import type {
  ModuleStore,
  PersonaAreaRepositories,
  PersonaStore,
  StoredModule,
  StoredPersona,
} from '@cartrita/engine';
import type { Kysely, Selectable } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database, PersonaModulesTable, PersonasTable } from '../../storage/schema.js';

const toPersona = ({ seq: _seq, ...row }: Selectable<PersonasTable>): StoredPersona => ({
  ...row,
  is_active: Number(row.is_active) === 1,
});

const toModule = ({ seq: _seq, ...row }: Selectable<PersonaModulesTable>): StoredModule => ({
  ...row,
  plugin_functions: fromJson(row.plugin_functions) as string[],
  is_active: Number(row.is_active) === 1,
});

const flag = (value: boolean | undefined) => (value === undefined ? {} : { is_active: value ? 1 : 0 });

/** Builds the {@link PersonaStore} over a database. */
export function createPersonaStore(db: Kysely<Database>): PersonaStore {
  return {
    async create(persona) {
      const row = await db
        .insertInto('personas')
        .values({ ...persona, is_active: persona.is_active ? 1 : 0 })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPersona(row);
    },

    async get(userId, id) {
      const row = await db
        .selectFrom('personas')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toPersona(row);
    },

    async list({ user_id, active }) {
      let query = db.selectFrom('personas').selectAll().where('user_id', '=', user_id);
      if (active !== undefined) query = query.where('is_active', '=', active ? 1 : 0);
      const rows = await query.orderBy('seq', 'asc').execute();
      return rows.map(toPersona);
    },

    async update(userId, id, { is_active, ...changes }) {
      const row = await db
        .updateTable('personas')
        .set({ ...changes, ...flag(is_active) })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toPersona(row);
    },

    async delete(userId, id) {
      const result = await db
        .deleteFrom('personas')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/** Builds the {@link ModuleStore} over a database. */
export function createModuleStore(db: Kysely<Database>): ModuleStore {
  return {
    async create(module) {
      const row = await db
        .insertInto('persona_modules')
        .values({
          ...module,
          plugin_functions: toJson(module.plugin_functions),
          is_active: module.is_active ? 1 : 0,
        })
        .onConflict((conflict) => conflict.columns(['user_id', 'name']).doNothing())
        .returningAll()
        .executeTakeFirst();
      return row && toModule(row);
    },

    async get(userId, id) {
      const row = await db
        .selectFrom('persona_modules')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return row && toModule(row);
    },

    async byName(userId, name) {
      const row = await db
        .selectFrom('persona_modules')
        .selectAll()
        .where('user_id', '=', userId)
        .where('name', '=', name)
        .executeTakeFirst();
      return row && toModule(row);
    },

    async list({ user_id, type, active }) {
      let query = db.selectFrom('persona_modules').selectAll().where('user_id', '=', user_id);
      if (type !== undefined) query = query.where('type', '=', type);
      if (active !== undefined) query = query.where('is_active', '=', active ? 1 : 0);
      const rows = await query.orderBy('seq', 'asc').execute();
      return rows.map(toModule);
    },

    async update(userId, id, { is_active, plugin_functions, ...changes }) {
      if (changes.name !== undefined) {
        const other = await db
          .selectFrom('persona_modules')
          .select('id')
          .where('user_id', '=', userId)
          .where('name', '=', changes.name)
          .where('id', '<>', id)
          .executeTakeFirst();
        if (other) return 'conflict';
      }
      const row = await db
        .updateTable('persona_modules')
        .set({
          ...changes,
          ...flag(is_active),
          ...(plugin_functions === undefined ? {} : { plugin_functions: toJson(plugin_functions) }),
        })
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return row && toModule(row);
    },

    async delete(userId, id) {
      const result = await db
        .deleteFrom('persona_modules')
        .where('id', '=', id)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

/** The personas area's repositories over a migrated database. */
export const createPersonaAreaSqlRepositories = (db: Kysely<Database>): PersonaAreaRepositories => ({
  personas: createPersonaStore(db),
  modules: createModuleStore(db),
});
