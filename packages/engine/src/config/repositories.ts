/** @module The repository port of the configuration area (seed 004): the sections changed at run time. */

/** What `PUT /config/{config_type}` stored for one section: the fields it set, over the file and defaults. */
export interface StoredConfigSection {
  config_type: string;
  /** Every field a `PUT` set, the latest value of each. */
  overrides: Record<string, unknown>;
  updated_at: string;
}

/** The stored sections, shared by every instance over one database. */
export interface ConfigSectionStore {
  all(): Promise<StoredConfigSection[]>;
  /** Stores a section's overrides, replacing what was stored for it. */
  put(section: StoredConfigSection): Promise<void>;
}

/** Every repository of the configuration area. */
export interface ConfigAreaRepositories {
  readonly configSections: ConfigSectionStore;
}
