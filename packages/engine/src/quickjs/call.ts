/**
 * @module One call of user code in QuickJS: a fresh runtime and context with a memory limit, a stack
 * limit and a deadline, only the host functions handed in, and everything the call made (timers,
 * handles, pending host work) released when it ends, however it ends.
 */
import type {
  QuickJSContext,
  QuickJSDeferredPromise,
  QuickJSHandle,
  QuickJSRuntime,
  QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { type SandboxFailure, type SandboxHost, type SandboxResult, sandboxFailure } from '../sandbox.js';
import { prelude } from './prelude.js';

/** The limits of every call. */
export interface QuickJsLimits {
  /** Bytes one call's heap may hold. */
  memoryBytes: number;
  /** Bytes of native stack one call may use: deep recursion ends here. */
  stackBytes: number;
  /** A call's deadline when it names none, in milliseconds. */
  defaultTimeoutMs: number;
  /** The longest deadline a call may ask for, in milliseconds. */
  maxTimeoutMs: number;
  /** Most characters of a result's JSON text. */
  maxOutputChars: number;
  /** Most characters of the JSON text of one `emit` or `fetch` body. */
  maxMessageChars: number;
  /** Most timers one call may have waiting. */
  maxTimers: number;
  /** Most `emit` calls of one call. */
  maxEmits: number;
  /** Most `log` and `console` lines of one call that reach the host; the rest are counted, not kept. */
  maxLogs: number;
}

export const defaultQuickJsLimits: QuickJsLimits = {
  memoryBytes: 32 * 1024 * 1024,
  stackBytes: 256 * 1024,
  defaultTimeoutMs: 5_000,
  maxTimeoutMs: 3_600_000,
  maxOutputChars: 1_000_000,
  maxMessageChars: 256 * 1024,
  maxTimers: 100,
  maxEmits: 100,
  maxLogs: 200,
};

/** What a call is given. */
export interface QuickJsCall {
  code: string;
  input: unknown;
  timeoutMs: number;
  host?: SandboxHost;
}

/**
 * Thrown out of a call when the WebAssembly module itself broke (QuickJS aborts when a call that ran
 * out of memory left objects behind): the module must not be used again. `result` is what the call
 * came to before that, when it came to something.
 */
export class BrokenModuleError extends Error {
  override name = 'BrokenModuleError';

  constructor(
    message: string,
    readonly result?: SandboxResult,
  ) {
    super(message);
  }
}

const fail = sandboxFailure;

/** Parses JSON text from the sandbox, leaving out `__proto__` keys so nothing handed back can pollute. */
export const parseGuestJson = (text: string): unknown =>
  JSON.parse(text, (key, value: unknown) => (key === '__proto__' ? undefined : value));

/** Runs one call in a fresh runtime of `module`. */
export async function callQuickJs(
  module: QuickJSWASMModule,
  call: QuickJsCall,
  limits: QuickJsLimits,
): Promise<SandboxResult> {
  const startedAt = performance.now();
  let input: string;
  try {
    input = JSON.stringify(call.input ?? null);
  } catch (error) {
    return fail('runtime', `The input is not JSON: ${(error as Error).message}`, startedAt);
  }
  const run = new GuestCall(module, call, limits, startedAt);
  let result: SandboxResult;
  try {
    result = await run.result(input);
  } catch (error) {
    try {
      run.close();
    } catch {
      // The module is broken either way; the first error says why.
    }
    throw new BrokenModuleError(`The sandbox failed while running the code: ${(error as Error).message}`);
  }
  try {
    run.close();
  } catch (error) {
    throw new BrokenModuleError(`The sandbox could not release a call: ${(error as Error).message}`, result);
  }
  return result;
}

/** The state of one call; `close` releases it. */
class GuestCall {
  readonly #runtime: QuickJSRuntime;
  readonly #context: QuickJSContext;
  readonly #limits: QuickJsLimits;
  readonly #call: QuickJsCall;
  readonly #startedAt: number;
  readonly #deadline: number;
  readonly #timers = new Map<number, { timer: ReturnType<typeof setTimeout>; fn: QuickJSHandle }>();
  readonly #deferreds = new Set<QuickJSDeferredPromise>();
  readonly #abort = new AbortController();
  #timedOut = false;
  #closed = false;
  #nextTimer = 1;
  #emits = 0;
  #logs = 0;
  #wake: () => void = () => {};

  constructor(module: QuickJSWASMModule, call: QuickJsCall, limits: QuickJsLimits, startedAt: number) {
    this.#call = call;
    this.#limits = limits;
    this.#startedAt = startedAt;
    this.#deadline = Date.now() + call.timeoutMs;
    this.#runtime = module.newRuntime({
      memoryLimitBytes: limits.memoryBytes,
      maxStackSizeBytes: limits.stackBytes,
      interruptHandler: () => {
        if (Date.now() < this.#deadline) return false;
        this.#timedOut = true;
        return true;
      },
    });
    this.#context = this.#runtime.newContext();
  }

  async result(input: string): Promise<SandboxResult> {
    const ctx = this.#context;
    this.#installHost();
    const runner = ctx.evalCode(prelude, 'prelude.js');
    if (runner.error) return this.#failure(runner.error, 'The sandbox could not start');
    const fn = ctx.evalCode(`(\n${trimCode(this.#call.code)}\n)`, 'user.js');
    if (fn.error) {
      runner.value.dispose();
      return this.#failure(fn.error);
    }
    try {
      if (ctx.typeof(fn.value) !== 'function') {
        return fail('syntax', `The code is not a function but ${ctx.typeof(fn.value)}`, this.#startedAt);
      }
      const inputHandle = ctx.newString(input);
      const promise = ctx.callFunction(runner.value, ctx.undefined, fn.value, inputHandle);
      inputHandle.dispose();
      if (promise.error) return this.#failure(promise.error);
      try {
        return await this.#settle(promise.value);
      } finally {
        promise.value.dispose();
      }
    } finally {
      fn.value.dispose();
      runner.value.dispose();
    }
  }

  /** Runs jobs and waits for host work until the runner's promise settles or the deadline passes. */
  async #settle(promise: QuickJSHandle): Promise<SandboxResult> {
    const deadlineTimer = setTimeout(
      () => {
        this.#timedOut = true;
        this.#wake();
      },
      Math.max(0, this.#deadline - Date.now()),
    );
    try {
      for (;;) {
        const jobs = this.#runtime.executePendingJobs();
        if (jobs.error) return this.#failure(jobs.error);
        jobs.dispose();
        if (this.#timedOut) return this.#timeout();
        const state = this.#context.getPromiseState(promise);
        if (state.type === 'fulfilled') return this.#output(state.value);
        if (state.type === 'rejected') return this.#failure(state.error);
        if (this.#timers.size === 0 && this.#deferreds.size === 0) {
          return fail(
            'runtime',
            'The function returned a promise that can never settle: nothing it waits for is pending',
            this.#startedAt,
          );
        }
        await new Promise<void>((resolve) => {
          this.#wake = resolve;
        });
        if (this.#timedOut) return this.#timeout();
      }
    } finally {
      clearTimeout(deadlineTimer);
    }
  }

  #output(handle: QuickJSHandle): SandboxResult {
    const ctx = this.#context;
    try {
      if (ctx.typeof(handle) !== 'string') {
        return fail('runtime', 'The function returned a value that is not JSON', this.#startedAt);
      }
      const length = ctx.getProp(handle, 'length');
      const chars = ctx.getNumber(length);
      length.dispose();
      if (chars > this.#limits.maxOutputChars) {
        return fail(
          'output_too_large',
          `The result is ${chars} characters of JSON; at most ${this.#limits.maxOutputChars} may be returned`,
          this.#startedAt,
        );
      }
      const value = parseGuestJson(ctx.getString(handle));
      return { ok: true, value, durationMs: performance.now() - this.#startedAt };
    } finally {
      handle.dispose();
    }
  }

  #timeout(): SandboxResult {
    return fail('timeout', `The code did not finish within ${this.#call.timeoutMs} ms`, this.#startedAt);
  }

  /** Turns a thrown value into a failure of the kind it shows. */
  #failure(handle: QuickJSHandle, prefix?: string): SandboxResult {
    if (this.#timedOut) {
      handle.dispose();
      return this.#timeout();
    }
    const { kind, message } = describe(this.#context, handle);
    handle.dispose();
    // Reading the error can run its getters, which the deadline may stop.
    if (this.#timedOut) return this.#timeout();
    return fail(kind, prefix ? `${prefix}: ${message}` : message, this.#startedAt);
  }

  #installHost(): void {
    const ctx = this.#context;
    const host = this.#call.host ?? {};
    const define = (name: string, fn: Parameters<QuickJSContext['newFunction']>[1]) => {
      const handle = ctx.newFunction(name, fn);
      ctx.setProp(ctx.global, name, handle);
      handle.dispose();
    };
    define('__host_log', (level, message, data) => {
      this.#logs += 1;
      if (this.#logs > this.#limits.maxLogs) {
        if (this.#logs === this.#limits.maxLogs + 1) {
          host.log?.(
            'warn',
            `The code logged more than ${this.#limits.maxLogs} lines; the rest were dropped`,
          );
        }
        return;
      }
      const name = ctx.getString(level);
      host.log?.(
        name === 'debug' || name === 'warn' || name === 'error' ? name : 'info',
        ctx.getString(message),
        ctx.typeof(data) === 'string' ? safeParse(ctx.getString(data)) : undefined,
      );
    });
    define('__host_emit', (eventType, data) =>
      this.#hostPromise(async () => {
        this.#emits += 1;
        if (this.#emits > this.#limits.maxEmits) {
          throw new RangeError(`emit: one call may emit at most ${this.#limits.maxEmits} events`);
        }
        const text = ctx.getString(data);
        if (text.length > this.#limits.maxMessageChars) {
          throw new RangeError(
            `emit data is ${text.length} characters of JSON; the limit is ${this.#limits.maxMessageChars}`,
          );
        }
        if (!host.emit) throw new Error('emit is not available here');
        await host.emit(ctx.getString(eventType), parseGuestJson(text));
        return undefined;
      }),
    );
    if (host.fetchAllowlist?.length) {
      const allowlist = host.fetchAllowlist;
      define('__host_fetch', (url, request) => {
        const target = ctx.getString(url);
        const init = ctx.getString(request);
        return this.#hostPromise(() => guestFetch(target, init, allowlist, this.#limits, this.#abort.signal));
      });
    }
    define('setTimeout', (fn, delay) => {
      if (ctx.typeof(fn) !== 'function')
        throw new TypeError('setTimeout(callback, delay): callback must be a function');
      if (this.#timers.size >= this.#limits.maxTimers) {
        throw new RangeError(`At most ${this.#limits.maxTimers} timers may wait at once`);
      }
      const ms = Math.max(
        0,
        Math.min(ctx.typeof(delay) === 'number' ? ctx.getNumber(delay) : 0, 2 ** 31 - 1),
      );
      const id = this.#nextTimer++;
      const callback = fn.dup();
      const timer = setTimeout(() => this.#fire(id), ms);
      this.#timers.set(id, { timer, fn: callback });
      return ctx.newNumber(id);
    });
    define('clearTimeout', (id) => {
      const entry = ctx.typeof(id) === 'number' ? this.#timers.get(ctx.getNumber(id)) : undefined;
      if (!entry) return;
      clearTimeout(entry.timer);
      entry.fn.dispose();
      this.#timers.delete(ctx.getNumber(id));
    });
  }

  #fire(id: number): void {
    const entry = this.#timers.get(id);
    if (!entry || this.#closed) return;
    this.#timers.delete(id);
    const result = this.#context.callFunction(entry.fn, this.#context.undefined);
    entry.fn.dispose();
    // A timer's own error rejects nothing the call waits for; the function sees it as a lost callback.
    result.dispose();
    this.#wake();
  }

  /** Hands the guest a promise settled by host work, waking the call when it settles. */
  #hostPromise(work: () => Promise<unknown>): QuickJSHandle {
    const ctx = this.#context;
    const deferred = ctx.newPromise();
    this.#deferreds.add(deferred);
    work().then(
      (value) => {
        if (this.#closed) return;
        if (value === undefined) deferred.resolve();
        else {
          const handle = ctx.newString(value as string);
          deferred.resolve(handle);
          handle.dispose();
        }
        this.#deferreds.delete(deferred);
        deferred.dispose();
        this.#wake();
      },
      (error: unknown) => {
        if (this.#closed) return;
        const handle = ctx.newError({
          name: error instanceof Error ? error.name : 'Error',
          message: error instanceof Error ? error.message : String(error),
        });
        deferred.reject(handle);
        handle.dispose();
        this.#deferreds.delete(deferred);
        deferred.dispose();
        this.#wake();
      },
    );
    return deferred.handle;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#abort.abort();
    for (const { timer, fn } of this.#timers.values()) {
      clearTimeout(timer);
      fn.dispose();
    }
    this.#timers.clear();
    for (const deferred of this.#deferreds) deferred.dispose();
    this.#deferreds.clear();
    this.#context.dispose();
    this.#runtime.dispose();
  }
}

/** Strips what ends a statement after the function, so `function f() {};` reads as one expression. */
export const trimCode = (code: string): string => code.replace(/[\s;]+$/, '');

const safeParse = (text: string): unknown => {
  try {
    return parseGuestJson(text);
  } catch {
    return text;
  }
};

/** The kind and sentence of a thrown guest value. */
export function describe(ctx: QuickJSContext, handle: QuickJSHandle): SandboxFailure {
  let name = 'Error';
  let message: string;
  if (ctx.typeof(handle) === 'object') {
    // A getter may throw (or be interrupted at the deadline): such a property reads as absent.
    const read = (key: string) => {
      try {
        const prop = ctx.getProp(handle, key);
        const value = ctx.typeof(prop) === 'string' ? ctx.getString(prop) : undefined;
        prop.dispose();
        return value;
      } catch {
        return undefined;
      }
    };
    name = read('name') ?? 'Error';
    message = read('message') ?? 'a value that is not an Error was thrown';
  } else {
    let value: unknown;
    try {
      value = ctx.dump(handle);
    } catch {
      value = ctx.typeof(handle);
    }
    message = `a value that is not an Error was thrown: ${String(value).slice(0, 200)}`;
  }
  const sentence = `${name}: ${message}`.slice(0, 2_000);
  if (name === 'InternalError' && /out of memory|string too long/i.test(message)) {
    return { kind: 'memory', message: `${sentence}: the call used all the memory it may` };
  }
  if (/stack overflow|maximum call stack/i.test(message)) return { kind: 'stack', message: sentence };
  if (name === 'SyntaxError') return { kind: 'syntax', message: sentence };
  return { kind: 'runtime', message: sentence };
}

/** `fetch` from the guest: only to hosts on the allowlist, no redirects followed, the body bounded. */
async function guestFetch(
  url: string,
  requestJson: string,
  allowlist: readonly string[],
  limits: QuickJsLimits,
  signal: AbortSignal,
): Promise<string> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError(`fetch: ${JSON.stringify(url.slice(0, 200))} is not an absolute URL`);
  }
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new TypeError(`fetch: only http and https URLs may be fetched, not ${target.protocol}`);
  }
  if (!allowlist.includes(target.hostname) && !allowlist.includes(target.host)) {
    throw new TypeError(`fetch: ${target.host} is not on this server's fetch allowlist`);
  }
  if (requestJson.length > limits.maxMessageChars) {
    throw new RangeError(`fetch: the request is larger than ${limits.maxMessageChars} characters`);
  }
  const request = parseGuestJson(requestJson) as { method: string; headers: unknown; body: string | null };
  const headers = new Headers();
  if (request.headers && typeof request.headers === 'object') {
    for (const [key, value] of Object.entries(request.headers)) headers.set(key, String(value));
  }
  const response = await fetch(target, {
    method: request.method,
    headers,
    ...(request.body === null ? {} : { body: request.body }),
    redirect: 'manual',
    signal,
  });
  const body = await readBounded(response, limits.maxOutputChars);
  return JSON.stringify({
    status: response.status,
    statusText: response.statusText,
    url: response.url,
    headers: Object.fromEntries(response.headers),
    body,
  });
}

async function readBounded(response: Response, maxChars: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text + decoder.decode();
    text += decoder.decode(value, { stream: true });
    if (text.length > maxChars) {
      await reader.cancel().catch(() => {});
      throw new RangeError(`fetch: the response is larger than ${maxChars} characters`);
    }
  }
}
