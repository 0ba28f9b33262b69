/** @module The configuration area's repository over SQL: one row per changed section. */
import type { ConfigAreaRepositories, ConfigSectionStore } from '@cartrita/engine';
import type { Kysely } from 'kysely';
import { fromJson, toJson } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';

/** Builds the {@link ConfigSectionStore} over a database. */
export function createConfigSectionStore(db: Kysely<Database>): ConfigSectionStore {
  return {
    async all() {
      const rows = await db.selectFrom('config_sections').selectAll().orderBy('config_type').execute();
      return rows.map((row) => ({ ...row, overrides: fromJson<Record<string, unknown>>(row.overrides) }));
    },

    async put(section) {
      const values = { ...section, overrides: toJson(section.overrides) };
      await db
        .insertInto('config_sections')
        .values(values)
        .onConflict((conflict) =>
          conflict
            .column('config_type')
            .doUpdateSet({ overrides: values.overrides, updated_at: values.updated_at }),
        )
        .execute();
    },
  };
}

/** The configuration area's repository over a migrated database. */
export const createConfigAreaSqlRepositories = (db: Kysely<Database>): ConfigAreaRepositories => ({
  configSections: createConfigSectionStore(db),
});
