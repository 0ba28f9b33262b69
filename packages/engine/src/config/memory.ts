/** @module The configuration area's repository in memory, by the SQL repository's rules. */
import type { ConfigAreaRepositories, StoredConfigSection } from './repositories.js';

/** The configuration repository in memory, and a way to forget it. */
export interface InMemoryConfigAreaRepositories extends ConfigAreaRepositories {
  clear(): void;
}

/**
 * The configuration area's repository in memory.
 *
 * @example
 * const { configSections } = createInMemoryConfigAreaRepositories();
 */
export const createInMemoryConfigAreaRepositories = (): InMemoryConfigAreaRepositories => {
  const sections = new Map<string, StoredConfigSection>();
  return {
    configSections: {
      async all() {
        return [...sections.values()]
          .sort((a, b) => a.config_type.localeCompare(b.config_type))
          .map((section) => structuredClone(section));
      },
      async put(section) {
        sections.set(section.config_type, structuredClone(section));
      },
    },
    clear() {
      sections.clear();
    },
  };
};
