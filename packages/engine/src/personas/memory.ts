/** @module The personas area's repositories in memory, by the SQL repositories' rules. */
import type {
  ModuleStore,
  PersonaAreaRepositories,
  PersonaStore,
  StoredModule,
  StoredPersona,
} from './repositories.js';

const copy = <T>(value: T): T => structuredClone(value);

/** The personas area's repositories in memory, and a way to forget them. */
export interface MemoryPersonaAreaRepositories extends PersonaAreaRepositories {
  clear(): void;
}

/**
 * The personas area's repositories in memory.
 *
 * @example
 * const { personas, modules } = createMemoryPersonaAreaRepositories();
 */
export const createMemoryPersonaAreaRepositories = (): MemoryPersonaAreaRepositories => {
  const personaRows = new Map<string, StoredPersona>();
  const moduleRows = new Map<string, StoredModule>();
  const ownPersona = (userId: string, id: string) => {
    const row = personaRows.get(id);
    return row?.user_id === userId ? row : undefined;
  };
  const ownModule = (userId: string, id: string) => {
    const row = moduleRows.get(id);
    return row?.user_id === userId ? row : undefined;
  };
  const nameTaken = (userId: string, name: string, except?: string) =>
    [...moduleRows.values()].some((row) => row.user_id === userId && row.name === name && row.id !== except);

  const personas: PersonaStore = {
    async create(persona) {
      if (personaRows.has(persona.id)) throw new Error(`A persona ${persona.id} already exists`);
      personaRows.set(persona.id, copy(persona));
      return copy(persona);
    },
    async get(userId, id) {
      const row = ownPersona(userId, id);
      return row && copy(row);
    },
    async list({ user_id, active }) {
      return [...personaRows.values()]
        .filter((row) => row.user_id === user_id && (active === undefined || row.is_active === active))
        .map(copy);
    },
    async update(userId, id, changes) {
      const row = ownPersona(userId, id);
      if (!row) return undefined;
      Object.assign(row, copy(changes));
      return copy(row);
    },
    async delete(userId, id) {
      return ownPersona(userId, id) !== undefined && personaRows.delete(id);
    },
  };

  const modules: ModuleStore = {
    async create(module) {
      if (moduleRows.has(module.id)) throw new Error(`A module ${module.id} already exists`);
      if (nameTaken(module.user_id, module.name)) return undefined;
      moduleRows.set(module.id, copy(module));
      return copy(module);
    },
    async get(userId, id) {
      const row = ownModule(userId, id);
      return row && copy(row);
    },
    async byName(userId, name) {
      const row = [...moduleRows.values()].find((row) => row.user_id === userId && row.name === name);
      return row && copy(row);
    },
    async list({ user_id, type, active }) {
      return [...moduleRows.values()]
        .filter(
          (row) =>
            row.user_id === user_id &&
            (type === undefined || row.type === type) &&
            (active === undefined || row.is_active === active),
        )
        .map(copy);
    },
    async update(userId, id, changes) {
      const row = ownModule(userId, id);
      if (!row) return undefined;
      if (changes.name !== undefined && nameTaken(userId, changes.name, id)) return 'conflict';
      Object.assign(row, copy(changes));
      return copy(row);
    },
    async delete(userId, id) {
      return ownModule(userId, id) !== undefined && moduleRows.delete(id);
    },
  };

  return {
    personas,
    modules,
    clear() {
      personaRows.clear();
      moduleRows.clear();
    },
  };
};
