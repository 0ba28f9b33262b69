/**
 * @module The configuration sections (seed 004): defaults, under the configuration file's sections,
 * under what `PUT /config/{config_type}` stored. Every change is validated on the whole section,
 * stored, and in effect at once.
 */
import {
  type ConfigIssue,
  type ConfigSectionResponse,
  type ConfigSections,
  type ConfigType,
  type ConfigUpdateRequest,
  type ConfigValidation,
  configSections,
  configTypes,
} from '@cartrita/contracts';
import type * as z from 'zod/mini';
import { type Clock, systemClock } from '../clock.js';
import { HttpError } from '../errors.js';
import type { ConfigSectionStore } from './repositories.js';

/** Raw fields of a section, before its schema fills in the defaults. */
export type RawSection = Record<string, unknown>;

/** The sections a configuration file sets, by name. */
export type FileSections = Partial<Record<ConfigType, RawSection>>;

/** Options of {@link ConfigService}. */
export interface ConfigServiceOptions {
  repository: ConfigSectionStore;
  /**
   * Reads the configuration file's sections: once before first use and again on `reload`. Throw an
   * `HttpError` (422) when the file cannot be read. Default: no file.
   */
  readFile?: () => FileSections | Promise<FileSections>;
  /** Checks a valid section further: a section with issues is refused like an invalid one. */
  check?: SectionCheck;
  clock?: Clock;
}

/** Every section with nothing set: its schema's defaults. */
export const defaultConfigSections = (): ConfigSections =>
  Object.fromEntries(configTypes.map((type) => [type, configSections[type].parse({})])) as ConfigSections;

const isConfigType = (type: string): type is ConfigType => (configTypes as readonly string[]).includes(type);

const issuesOf = (error: z.core.$ZodError): ConfigIssue[] =>
  error.issues.map((issue) => ({
    path: issue.path.length > 0 ? issue.path.map(String).join('.') : '(section)',
    message: issue.message,
  }));

/** Checks of a valid section against the world the schema cannot see (the providers there are). */
export type SectionCheck = (type: ConfigType, section: Record<string, unknown>) => ConfigIssue[];

const parseSection = (type: ConfigType, raw: RawSection, check?: SectionCheck) => {
  const result = configSections[type].safeParse(raw);
  if (!result.success) return { ok: false, errors: issuesOf(result.error) } as const;
  const errors = check?.(type, result.data as Record<string, unknown>) ?? [];
  return errors.length > 0 ? ({ ok: false, errors } as const) : ({ ok: true, value: result.data } as const);
};

const invalid = (type: string, errors: ConfigIssue[], prefix: string) =>
  new HttpError('VALIDATION_ERROR', `The ${type} section is not valid: ${errors[0]?.message ?? 'invalid'}`, {
    details: {
      config_type: type,
      fields: errors.map((issue) => ({ path: `${prefix}${issue.path}`, message: issue.message })),
    },
  });

/**
 * The configuration sections of seed 004: `orchestrator`, `planner`, `agent_generator`, `context` and
 * `memory`. Reads are served from what is in effect; `current` gives the engine a section at once.
 */
export class ConfigService {
  readonly #repository: ConfigSectionStore;
  readonly #readFile: () => FileSections | Promise<FileSections>;
  readonly #clock: Clock;
  readonly #check: SectionCheck | undefined;
  #file: FileSections = {};
  #stored: FileSections = {};
  #effective: ConfigSections = defaultConfigSections();
  #loading: Promise<void> | undefined;
  /** Serializes changes, so two updates of one section do not lose each other's fields. */
  #writing: Promise<unknown> = Promise.resolve();

  constructor(options: ConfigServiceOptions) {
    this.#repository = options.repository;
    this.#readFile = options.readFile ?? (() => ({}));
    this.#clock = options.clock ?? systemClock;
    this.#check = options.check;
  }

  /**
   * A section in effect now, for the engine's own use: the defaults until the first read finished
   * (see {@link ConfigService.ready}).
   */
  current<T extends ConfigType>(type: T): ConfigSections[T] {
    return this.#effective[type];
  }

  /**
   * Resolves once the file and the stored sections have been read. A section they make invalid keeps
   * its defaults (`validate` says why).
   */
  ready(): Promise<void> {
    this.#loading ??= this.#read().then(({ file, stored, sections }) => {
      this.#file = file;
      this.#stored = stored;
      for (const type of configTypes) {
        const parsed = sections[type];
        if (parsed.ok) (this.#effective as Record<ConfigType, unknown>)[type] = parsed.value;
      }
    });
    return this.#loading;
  }

  /**
   * Forgets what was read and stored in effect, back to the defaults: the next use reads the file and
   * the repository again (for the mocks' reset, whose repositories were just emptied).
   */
  forget(): void {
    this.#file = {};
    this.#stored = {};
    this.#effective = defaultConfigSections();
    this.#loading = undefined;
  }

  /** Every section in effect. */
  async all(): Promise<ConfigSections> {
    await this.ready();
    return structuredClone(this.#effective);
  }

  /** One section in effect; 404 for an unknown section. */
  async get(type: string): Promise<ConfigSectionResponse> {
    const known = this.#known(type);
    await this.ready();
    return { config_type: known, config: structuredClone(this.#effective[known]) };
  }

  /**
   * Changes fields of a section: the whole section is validated with the change (422 and nothing
   * changed otherwise), the fields are stored, and the section is in effect at once.
   */
  async update(type: string, request: ConfigUpdateRequest): Promise<ConfigSectionResponse> {
    const known = this.#known(type);
    if (request.config_type !== undefined && request.config_type !== known) {
      throw new HttpError(
        'VALIDATION_ERROR',
        `config_type ${JSON.stringify(request.config_type)} does not name the section of the path (${known})`,
        { details: { fields: [{ path: 'body.config_type', message: `Expected "${known}"` }] } },
      );
    }
    await this.ready();
    const write = this.#writing.then(async () => {
      const overrides = { ...this.#stored[known], ...request.updates };
      const parsed = parseSection(known, { ...this.#file[known], ...overrides }, this.#check);
      if (!parsed.ok) throw invalid(known, parsed.errors, 'body.updates.');
      await this.#repository.put({
        config_type: known,
        overrides,
        updated_at: this.#clock.now().toISOString(),
      });
      this.#stored[known] = overrides;
      (this.#effective as Record<ConfigType, unknown>)[known] = parsed.value;
      return { config_type: known, config: structuredClone(parsed.value) };
    });
    this.#writing = write.catch(() => {});
    return write;
  }

  /**
   * Reads the configuration file and the stored sections again and puts them in effect. When a
   * section would not be valid, 422 naming it, and nothing changes.
   */
  async reload(): Promise<ConfigSections> {
    await this.ready();
    const reloaded = this.#writing.then(async () => {
      const { file, stored, sections } = await this.#read();
      for (const type of configTypes) {
        const parsed = sections[type];
        if (!parsed.ok) throw invalid(type, parsed.errors, `${type}.`);
      }
      this.#file = file;
      this.#stored = stored;
      this.#effective = Object.fromEntries(
        configTypes.map((type) => [type, (sections[type] as { value: unknown }).value]),
      ) as ConfigSections;
      return structuredClone(this.#effective);
    });
    this.#writing = reloaded.catch(() => {});
    return reloaded;
  }

  /** Whether a section as configured (file and stored changes over the defaults) is valid, and why not. */
  async validate(type: string): Promise<ConfigValidation> {
    const known = this.#known(type);
    await this.ready();
    const parsed = parseSection(known, { ...this.#file[known], ...this.#stored[known] }, this.#check);
    return parsed.ok ? { valid: true, errors: [] } : { valid: false, errors: parsed.errors };
  }

  #known(type: string): ConfigType {
    if (isConfigType(type)) return type;
    throw new HttpError(
      'NOT_FOUND',
      `Configuration section ${type} does not exist; the sections are ${configTypes.join(', ')}`,
      { details: { kind: 'config_type', id: type, config_types: [...configTypes] } },
    );
  }

  async #read() {
    const file = await this.#readFile();
    const stored: FileSections = {};
    for (const section of await this.#repository.all()) {
      if (isConfigType(section.config_type)) stored[section.config_type] = section.overrides;
    }
    const sections = Object.fromEntries(
      configTypes.map((type) => [type, parseSection(type, { ...file[type], ...stored[type] }, this.#check)]),
    ) as Record<ConfigType, ReturnType<typeof parseSection>>;
    return { file, stored, sections };
  }
}
