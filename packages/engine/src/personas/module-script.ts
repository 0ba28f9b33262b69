/**
 * @module Module scripts (seed 003): JavaScript that runs in the sandbox with a `ctx` whose
 * `set_output(name, value)` fills `${name}` in the module's content. A script is either a function
 * body that uses `ctx` (as the seed's example writes it: `ctx.set_output("greeting", "Hello!")`) or
 * one function that takes `ctx`; either way it runs as one function the sandbox calls.
 */
import type { PluginFunction, ScriptLog } from '@cartrita/contracts';
import { HttpError } from '../errors.js';
import { looksLikePython } from '../quickjs/language.js';
import type { Sandbox, SandboxFailure, SandboxRequest } from '../sandbox.js';

/** The functions a script may call on `ctx`, with their signatures: what `GET /api/modules/plugin-functions` lists. */
export const pluginFunctions: readonly PluginFunction[] = [
  {
    name: 'set_output',
    signature: 'ctx.set_output(name: string, value: unknown): void',
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the text names a template placeholder
    description: 'Sets an output of the script; `${name}` in the module’s content takes its value.',
  },
  {
    name: 'get_variable',
    signature: 'ctx.get_variable(name: string, fallback?: unknown): unknown',
    description:
      'The value of a variable the template is resolved with (also in `ctx.variables`), else `fallback` (default `null`).',
  },
  {
    name: 'get_current_time',
    signature: 'ctx.get_current_time(): string',
    description: 'When the run started, as an ISO 8601 time in UTC.',
  },
  {
    name: 'log',
    signature: "ctx.log(message: string, level?: 'debug' | 'info' | 'warn' | 'error'): void",
    description: 'A log line of the run (also `console.log` and friends).',
  },
];

/** The plugin functions a script calls, in the order of {@link pluginFunctions}. */
export const pluginFunctionsUsed = (script: string): string[] =>
  pluginFunctions.map((fn) => fn.name).filter((name) => new RegExp(`\\.\\s*${name}\\s*\\(`).test(script));

/** How a script runs: `function` (it is one function taking `ctx`) or `body` (statements using `ctx`). */
export type ScriptForm = 'function' | 'body';

/** A script made ready for the sandbox: one function that takes `{variables, now}` and answers the outputs. */
export interface PreparedScript {
  form: ScriptForm;
  code: string;
}

const wrap = (script: string, form: ScriptForm): string => {
  const run =
    form === 'function'
      ? `(\n${script.replace(/[\s;]+$/, '')}\n)`
      : `(async function module_script(ctx) {\n${script}\n})`;
  return `async function run_module(input) {
  const outputs = Object.create(null);
  const variables = input.variables;
  const levels = ['debug', 'info', 'warn', 'error'];
  const ctx = Object.freeze({
    variables,
    set_output(name, value) {
      if (typeof name !== 'string' || name.length === 0) {
        throw new TypeError('ctx.set_output(name, value): name must be a non-empty string');
      }
      outputs[name] = value === undefined ? null : value;
    },
    get_variable(name, fallback) {
      return Object.prototype.hasOwnProperty.call(variables, name) ? variables[name] : fallback === undefined ? null : fallback;
    },
    get_current_time() {
      return input.now;
    },
    log(message, level) {
      log(levels.includes(level) ? level : 'info', String(message));
    },
  });
  const script = ${run};
  await script(ctx);
  return outputs;
}`;
};

/** What is said when a script is not JavaScript. */
export const notJavaScript = (failure: SandboxFailure): string =>
  failure.kind === 'not_javascript' || failure.message.includes('reads as Python')
    ? 'Module scripts are JavaScript, run in the sandbox: the script reads as Python. Write JavaScript that uses ctx, such as ctx.set_output("greeting", "Hello!")'
    : `The script is not valid JavaScript: ${failure.message}`;

/**
 * Makes a script ready to run: one function taking `ctx` as it is, anything else as a function body.
 * Answers the failure (`not_javascript`, `syntax`) when it is neither.
 */
export const prepareScript = async (
  sandbox: Sandbox,
  script: string,
): Promise<{ ok: true; script: PreparedScript } | { ok: false; error: SandboxFailure }> => {
  const cache = prepared.get(sandbox) ?? new Map<string, PreparedScript>();
  prepared.set(sandbox, cache);
  const known = cache.get(script);
  if (known) return { ok: true, script: known };
  const result = await prepareUncached(sandbox, script);
  if (result.ok) {
    // A saved module's script runs on every resolution: it is checked once per sandbox, not per run.
    if (cache.size >= maxPreparedScripts) cache.delete(cache.keys().next().value as string);
    cache.set(script, result.script);
  }
  return result;
};

/** How many prepared scripts each sandbox remembers, oldest forgotten first. */
const maxPreparedScripts = 500;
const prepared = new WeakMap<Sandbox, Map<string, PreparedScript>>();

const prepareUncached = async (
  sandbox: Sandbox,
  script: string,
): Promise<{ ok: true; script: PreparedScript } | { ok: false; error: SandboxFailure }> => {
  const alone = await sandbox.check(script);
  if (alone === undefined) return { ok: true, script: { form: 'function', code: wrap(script, 'function') } };
  if (alone.kind === 'not_javascript') return { ok: false, error: alone };
  const code = wrap(script, 'body');
  const wrapped = await sandbox.check(code);
  if (wrapped === undefined) return { ok: true, script: { form: 'body', code } };
  if (looksLikePython(script)) {
    return { ok: false, error: { kind: 'not_javascript', message: 'the script reads as Python' } };
  }
  return { ok: false, error: wrapped };
};

/**
 * Checks a script before it is saved.
 *
 * @throws {HttpError} 422 naming `body.script`, saying scripts are JavaScript when it is not.
 */
export const checkScript = async (sandbox: Sandbox, script: string): Promise<void> => {
  const prepared = await prepareScript(sandbox, script);
  if (prepared.ok) return;
  const message = notJavaScript(prepared.error);
  throw new HttpError('VALIDATION_ERROR', message, {
    details: { fields: [{ path: 'body.script', message }], kind: prepared.error.kind },
  });
};

/** What a script run gives: its outputs and logs, or why it failed. */
export interface ScriptRun {
  success: boolean;
  outputs: Record<string, unknown>;
  logs: ScriptLog[];
  error: string | null;
}

/** Most log lines a run keeps. */
export const maxScriptLogs = 200;

/** What a run needs. */
export interface ScriptRunOptions {
  sandbox: Sandbox;
  script: string;
  variables: Record<string, unknown>;
  /** The time `ctx.get_current_time()` answers. */
  now: string;
  /** Whose run it is, so one user's flood waits behind their own runs. */
  owner: string;
  timeoutMs?: number;
  /** Stops the run when it aborts (see {@link SandboxRequest.signal}). */
  signal?: AbortSignal;
}

/**
 * Runs a script in the sandbox. Never throws for the script's faults: a loop, a memory bomb or code
 * that is not JavaScript ends `success: false` with an error that says what happened.
 */
export const runScript = async (options: ScriptRunOptions): Promise<ScriptRun> => {
  const logs: ScriptLog[] = [];
  const prepared = await prepareScript(options.sandbox, options.script);
  if (!prepared.ok) return { success: false, outputs: {}, logs, error: notJavaScript(prepared.error) };
  const result = await options.sandbox.run({
    code: prepared.script.code,
    input: { variables: options.variables, now: options.now },
    owner: options.owner,
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    ...(options.signal ? { signal: options.signal } : {}),
    host: {
      log: (level, message) => {
        if (logs.length < maxScriptLogs) logs.push({ level, message: String(message).slice(0, 10_000) });
      },
    },
  });
  if (!result.ok) {
    return { success: false, outputs: {}, logs, error: `${result.error.kind}: ${result.error.message}` };
  }
  const outputs =
    typeof result.value === 'object' && result.value !== null && !Array.isArray(result.value)
      ? (result.value as Record<string, unknown>)
      : {};
  return { success: true, outputs, logs, error: null };
};
