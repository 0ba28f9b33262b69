/** @module The repository port of the personas area (seed 003): personas and modules, each a user's own. */
import type { ModuleType, PersonaMode } from '@cartrita/contracts';

/** A stored persona. */
export interface StoredPersona {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  template: string;
  mode: PersonaMode;
  first_message: string | null;
  image_path: string | null;
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** What a persona's update changes: every field given, `updated_at` always. */
export type PersonaChanges = Partial<
  Pick<
    StoredPersona,
    'name' | 'description' | 'template' | 'mode' | 'first_message' | 'image_path' | 'is_active'
  >
> & { updated_at: string };

/** Personas. */
export interface PersonaStore {
  create(persona: StoredPersona): Promise<StoredPersona>;
  /** The persona, when it is the user's. */
  get(userId: string, id: string): Promise<StoredPersona | undefined>;
  /** A user's personas, oldest first, only active or inactive ones when `active` is given. */
  list(filter: { user_id: string; active?: boolean }): Promise<StoredPersona[]>;
  /** Applies changes to the user's persona; resolves it after, or `undefined` when there is none. */
  update(userId: string, id: string, changes: PersonaChanges): Promise<StoredPersona | undefined>;
  delete(userId: string, id: string): Promise<boolean>;
}

/** A stored module. */
export interface StoredModule {
  id: string;
  user_id: string;
  name: string;
  description: string | null;
  type: ModuleType;
  content: string;
  script: string | null;
  trigger_pattern: string | null;
  execution_stage: string | null;
  /** The plugin functions the script calls, found when it was saved. */
  plugin_functions: string[];
  is_active: boolean;
  created_at: string;
  updated_at: string;
}

/** What a module's update changes. */
export type ModuleChanges = Partial<
  Pick<
    StoredModule,
    | 'name'
    | 'description'
    | 'type'
    | 'content'
    | 'script'
    | 'trigger_pattern'
    | 'execution_stage'
    | 'plugin_functions'
    | 'is_active'
  >
> & { updated_at: string };

/** Modules; a name is unique per user. */
export interface ModuleStore {
  /** Stores a module; resolves `undefined` when the user already has one of that name. */
  create(module: StoredModule): Promise<StoredModule | undefined>;
  get(userId: string, id: string): Promise<StoredModule | undefined>;
  /** The user's module of that name. */
  byName(userId: string, name: string): Promise<StoredModule | undefined>;
  /** A user's modules, oldest first, of one type and activity when given. */
  list(filter: { user_id: string; type?: ModuleType; active?: boolean }): Promise<StoredModule[]>;
  /**
   * Applies changes; resolves the module after, `undefined` when there is none, or `'conflict'` when
   * a new name is another module's.
   */
  update(userId: string, id: string, changes: ModuleChanges): Promise<StoredModule | undefined | 'conflict'>;
  delete(userId: string, id: string): Promise<boolean>;
}

/** Every repository of the personas area. */
export interface PersonaAreaRepositories {
  readonly personas: PersonaStore;
  readonly modules: ModuleStore;
}
