/**
 * @module Modules (seed 003): each user's own; an advanced module's script is checked when saved and
 * the plugin functions it calls recorded. Templates are resolved here too, over the user's modules.
 */
import type {
  ModuleCreateRequest,
  ModuleDeleted,
  ModuleList,
  ModuleRunReport,
  ModuleType,
  ModuleUpdateRequest,
  PluginFunctionList,
  ScriptTestRequest,
  ScriptTestResult,
  TemplateResolution,
  Module as WireModule,
} from '@cartrita/contracts';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';
import type { Sandbox } from '../sandbox.js';
import {
  checkScript,
  pluginFunctions,
  pluginFunctionsUsed,
  runScript,
  type ScriptRun,
} from './module-script.js';
import type { ModuleChanges, ModuleStore, StoredModule } from './repositories.js';
import { resolveTemplate } from './template-resolver.js';
import { isAfterReply, triggerMatches } from './triggers.js';

/** Resolves with `cancelled` as soon as the signal aborts, whatever the work is doing. */
const untilAborted = <T>(work: Promise<T>, signal: AbortSignal): Promise<T | typeof cancelled> => {
  if (signal.aborted) return Promise.resolve(cancelled);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(cancelled);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
};
const cancelled = Symbol('cancelled');

/** Why a run stopped when its signal aborted. */
const abortReason = (signal: AbortSignal): string =>
  signal.reason instanceof Error ? signal.reason.message : 'Cancelled.';

const toModule = ({ user_id: _user, ...module }: StoredModule): WireModule => module;

const notFound = (id: string) => new HttpError('NOT_FOUND', `No module ${id}.`);
const nameTaken = (name: string) => new HttpError('CONFLICT', `A module named "${name}" already exists.`);

/** What modules need. */
export interface ModuleServiceDeps {
  store: ModuleStore;
  sandbox: Sandbox;
  clock: Clock;
  /** The deadline of one script run, in milliseconds; the sandbox's default when absent. */
  scriptTimeoutMs?: number;
}

/** Modules of the caller's user, their scripts, and template resolution over them. */
export class ModuleService {
  readonly #deps: ModuleServiceDeps;

  constructor(deps: ModuleServiceDeps) {
    this.#deps = deps;
  }

  /** The functions a script may call. */
  pluginFunctions(): PluginFunctionList {
    return { functions: pluginFunctions.map((fn) => ({ ...fn })), total: pluginFunctions.length };
  }

  /** Checks a type and script pair; answers the plugin functions the script calls. */
  async #checked(type: ModuleType, script: string | null): Promise<string[]> {
    if (type === 'advanced' && script === null) {
      throw HttpError.validation(
        [{ path: 'body.script', message: 'Required for an advanced module' }],
        'An advanced module needs a script: JavaScript that calls ctx.set_output(name, value)',
      );
    }
    if (type === 'simple' && script !== null) {
      throw HttpError.validation(
        [{ path: 'body.script', message: 'A simple module has no script' }],
        'A simple module has no script: make it advanced, or leave the script out',
      );
    }
    if (script === null) return [];
    await checkScript(this.#deps.sandbox, script);
    return pluginFunctionsUsed(script);
  }

  /** Creates a module; 409 when the user has one of that name. */
  async create(request: ModuleCreateRequest, userId: string): Promise<WireModule> {
    const script = request.script ?? null;
    const used = await this.#checked(request.type, script);
    const at = this.#deps.clock.now().toISOString();
    const module = await this.#deps.store.create({
      id: crypto.randomUUID(),
      user_id: userId,
      name: request.name,
      description: request.description ?? null,
      type: request.type,
      content: request.content,
      script,
      trigger_pattern: request.trigger_pattern ?? null,
      execution_stage: request.execution_stage ?? null,
      plugin_functions: used,
      is_active: request.is_active,
      created_at: at,
      updated_at: at,
    });
    if (!module) throw nameTaken(request.name);
    return toModule(module);
  }

  /** The user's modules, oldest first, of one type and activity when given. */
  async list(
    query: { type?: ModuleType | undefined; active?: boolean | undefined },
    userId: string,
  ): Promise<ModuleList> {
    const modules = await this.#deps.store.list({
      user_id: userId,
      ...(query.type === undefined ? {} : { type: query.type }),
      ...(query.active === undefined ? {} : { active: query.active }),
    });
    return { modules: modules.map(toModule), total: modules.length };
  }

  /** One module of the user. */
  async get(id: string, userId: string): Promise<WireModule> {
    const module = await this.#deps.store.get(userId, id);
    if (!module) throw notFound(id);
    return toModule(module);
  }

  /** Changes the fields given; a module made simple loses its script. */
  async update(id: string, request: ModuleUpdateRequest, userId: string): Promise<WireModule> {
    const current = await this.#deps.store.get(userId, id);
    if (!current) throw notFound(id);
    const type = request.type ?? current.type;
    const script =
      request.script !== undefined ? request.script : request.type === 'simple' ? null : current.script;
    const changes: ModuleChanges = { updated_at: this.#deps.clock.now().toISOString() };
    if (request.type !== undefined || request.script !== undefined) {
      Object.assign(changes, { type, script, plugin_functions: await this.#checked(type, script) });
    }
    for (const key of [
      'name',
      'description',
      'content',
      'trigger_pattern',
      'execution_stage',
      'is_active',
    ] as const) {
      if (request[key] !== undefined) Object.assign(changes, { [key]: request[key] });
    }
    const module = await this.#deps.store.update(userId, id, changes);
    if (module === 'conflict') throw nameTaken(request.name ?? current.name);
    if (!module) throw notFound(id);
    return toModule(module);
  }

  /** Deletes a module of the user. */
  async delete(id: string, userId: string): Promise<ModuleDeleted> {
    if (!(await this.#deps.store.delete(userId, id))) throw notFound(id);
    return { id, deleted: true };
  }

  /** Runs a script in the sandbox; answers whatever it did, never failing the request. */
  testScript(request: ScriptTestRequest, userId: string): Promise<ScriptTestResult> {
    return this.#run(request.script, request.variables, userId);
  }

  /** Runs an advanced module's script with the variables of a template; `signal` stops it. */
  runModule(
    module: StoredModule,
    variables: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<ScriptRun> {
    return this.#run(module.script ?? '', variables, module.user_id, signal);
  }

  #run(
    script: string,
    variables: Record<string, unknown>,
    userId: string,
    signal?: AbortSignal,
  ): Promise<ScriptRun> {
    return runScript({
      sandbox: this.#deps.sandbox,
      script,
      variables,
      now: this.#deps.clock.now().toISOString(),
      owner: `user:${userId}`,
      ...(this.#deps.scriptTimeoutMs === undefined ? {} : { timeoutMs: this.#deps.scriptTimeoutMs }),
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * The user's active after-reply modules (`execution_stage` `POST_RESPONSE`) whose trigger the
   * message meets, oldest first: the ones stages 4–5 of a chat turn run.
   */
  async afterReplyModules(
    userId: string,
    message: string | (() => Promise<string>),
  ): Promise<StoredModule[]> {
    const modules = (await this.#deps.store.list({ user_id: userId, active: true })).filter(
      (module) => isAfterReply(module.execution_stage) && module.trigger_pattern !== null,
    );
    if (modules.length === 0) return [];
    // The message is read only when some module may be triggered by it.
    const text = typeof message === 'string' ? message : await message();
    return modules.filter((module) => triggerMatches(module.trigger_pattern as string, text));
  }

  /**
   * Runs one after-reply module with the turn's variables: resolves it as `@name` would (an advanced
   * module's script runs in the sandbox first) and reports what it did. Never throws: a failing
   * script, a cycle or a cancellation is the report's `status` and `error`. When the signal aborts,
   * the report is `cancelled` at once, and the script's run is stopped as far as the sandbox can (the
   * server's worker pool stops the worker running it).
   */
  async runAfterReply(
    module: StoredModule,
    variables: Record<string, unknown>,
    signal: AbortSignal,
  ): Promise<ModuleRunReport> {
    const startedAt = performance.now();
    let script: ScriptRun | undefined;
    const report = (
      status: ModuleRunReport['status'],
      text: string | null,
      error: string | null,
    ): ModuleRunReport => ({
      module_id: module.id,
      name: module.name,
      type: module.type,
      stage: 'post_response',
      status,
      text,
      outputs: script?.outputs ?? {},
      logs: script?.logs ?? [],
      error,
      duration_ms: Math.round((performance.now() - startedAt) * 100) / 100,
    });
    if (signal.aborted) return report('cancelled', null, abortReason(signal));
    try {
      const resolution = await untilAborted(
        resolveTemplate(`@${module.name}`, variables, {
          module: async (name) => {
            if (name === module.name) return module;
            const found = await this.#deps.store.byName(module.user_id, name);
            return found?.is_active ? found : undefined;
          },
          run: async (ran, values) => {
            const result = await this.runModule(ran, values, signal);
            if (ran.id === module.id) script = result;
            return result;
          },
        }),
        signal,
      );
      if (resolution === cancelled) return report('cancelled', null, abortReason(signal));
      if (script && !script.success) return report('failed', null, script.error);
      return report('completed', resolution.resolved, null);
    } catch (error) {
      return report('failed', null, error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Resolves a template over the user's active modules: what `POST /api/templates/resolve` answers,
   * and what a chat turn makes of its persona's template. A module whose script fails gives its
   * content without outputs, and `scriptFailed` is told which and why.
   */
  resolve(
    template: string,
    variables: Record<string, unknown>,
    userId: string,
    signal?: AbortSignal,
    scriptFailed?: (module: string, error: string) => void,
  ): Promise<TemplateResolution> {
    return resolveTemplate(template, variables, {
      module: async (name) => {
        const module = await this.#deps.store.byName(userId, name);
        return module?.is_active ? module : undefined;
      },
      // A chat turn's signal: a cancel during stages 1–2 stops the script running in the sandbox.
      run: async (module, values) => {
        const run = await this.runModule(module, values, signal);
        if (!run.success) scriptFailed?.(module.name, run.error ?? 'The script failed');
        return run;
      },
    });
  }
}
