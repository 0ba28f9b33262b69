/**
 * @module QuickJS for user code: the WebAssembly module (loaded once, with memory capped by a
 * `WebAssembly.Memory` of fixed maximum, since the heap limit alone does not bound strings and typed
 * arrays), a call per fresh runtime, and the check that code is one JavaScript function.
 */
import releaseSyncEntry from '@jitl/quickjs-wasmfile-release-sync';
import {
  newQuickJSWASMModuleFromVariant,
  newVariant,
  type QuickJSSyncVariant,
  type QuickJSWASMModule,
} from 'quickjs-emscripten-core';
import { type SandboxFailure, type SandboxRequest, type SandboxResult, sandboxFailure } from '../sandbox.js';
import {
  BrokenModuleError,
  callQuickJs,
  defaultQuickJsLimits,
  describe,
  type QuickJsLimits,
  trimCode,
} from './call.js';
import { looksLikePython, oneFunctionHint } from './language.js';

/** How QuickJS is set up. */
export interface QuickJsOptions {
  /** Limits of every call; each field defaults to {@link defaultQuickJsLimits}. */
  limits?: Partial<QuickJsLimits>;
  /**
   * Bytes the WebAssembly memory may grow to, shared by the calls running at once: the hard cap
   * under every call's own limit. 64 MiB by default.
   */
  moduleMemoryBytes?: number;
}

/** Most characters of code that is checked or run. */
export const maxCodeChars = 100_000;

/** How long checking code may evaluate it, in milliseconds. */
const checkTimeoutMs = 250;

const pageBytes = 64 * 1024;

// The variant's package lists CommonJS types first, so TypeScript sees the module where ESM gets its
// default export: the variant itself.
const releaseSync = releaseSyncEntry as unknown as QuickJSSyncVariant;

/** Runs calls and checks code in QuickJS, replacing the module when a call breaks it. */
export class QuickJsRunner {
  readonly limits: QuickJsLimits;
  readonly #memoryPages: number;
  #module: Promise<QuickJSWASMModule> | undefined;

  constructor(options: QuickJsOptions = {}) {
    this.limits = { ...defaultQuickJsLimits, ...options.limits };
    this.#memoryPages = Math.ceil((options.moduleMemoryBytes ?? 64 * 1024 * 1024) / pageBytes);
  }

  /** Loads the module now rather than on the first call. */
  async ready(): Promise<void> {
    await this.#load();
  }

  async run(request: SandboxRequest): Promise<SandboxResult> {
    const startedAt = performance.now();
    if (request.code.length > maxCodeChars) {
      return sandboxFailure('syntax', `The code is longer than ${maxCodeChars} characters`, startedAt);
    }
    const timeoutMs = Math.max(
      1,
      Math.min(request.timeoutMs ?? this.limits.defaultTimeoutMs, this.limits.maxTimeoutMs),
    );
    const module = await this.#load();
    // In this thread a running call cannot see an abort until it ends; one that has not begun is dropped.
    if (request.signal?.aborted) {
      return sandboxFailure('cancelled', 'The call was cancelled before it ran', startedAt);
    }
    try {
      return await callQuickJs(
        module,
        {
          code: request.code,
          input: request.input,
          timeoutMs,
          ...(request.host ? { host: request.host } : {}),
        },
        this.limits,
      );
    } catch (error) {
      return this.#broken(module, error, startedAt);
    }
  }

  /** Whether code is one JavaScript function; why not when it is not. */
  async check(code: string): Promise<SandboxFailure | undefined> {
    if (code.length > maxCodeChars) {
      return { kind: 'syntax', message: `The code is longer than ${maxCodeChars} characters` };
    }
    const module = await this.#load();
    const deadline = Date.now() + checkTimeoutMs;
    const runtime = module.newRuntime({
      memoryLimitBytes: this.limits.memoryBytes,
      maxStackSizeBytes: this.limits.stackBytes,
      interruptHandler: () => Date.now() > deadline,
    });
    const ctx = runtime.newContext();
    try {
      const result = ctx.evalCode(`(\n${trimCode(code)}\n)`, 'user.js');
      if (!result.error) {
        const type = ctx.typeof(result.value);
        result.value.dispose();
        return type === 'function'
          ? undefined
          : { kind: 'syntax', message: `The code is a ${type}, not a function: ${oneFunctionHint}` };
      }
      const thrown = describe(ctx, result.error);
      result.error.dispose();
      if (!thrown.message.startsWith('SyntaxError')) {
        return {
          kind: 'syntax',
          message: `The code must evaluate to a function, but it threw ${thrown.message}`,
        };
      }
      if (looksLikePython(code)) {
        return { kind: 'not_javascript', message: `the code reads as Python; ${oneFunctionHint}` };
      }
      const script = ctx.evalCode(code, 'user.js', { compileOnly: true });
      const isScript = !script.error;
      script.dispose();
      return {
        kind: 'syntax',
        message: isScript ? `The code holds more than one statement: ${oneFunctionHint}` : thrown.message,
      };
    } finally {
      ctx.dispose();
      runtime.dispose();
    }
  }

  #load(): Promise<QuickJSWASMModule> {
    this.#module ??= newQuickJSWASMModuleFromVariant(
      newVariant(releaseSync, {
        wasmMemory: new WebAssembly.Memory({ initial: 256, maximum: Math.max(256, this.#memoryPages) }),
      }),
    );
    return this.#module;
  }

  /** A call that broke the module itself: a fresh module serves the next call. */
  async #broken(module: QuickJSWASMModule, error: unknown, startedAt: number): Promise<SandboxResult> {
    if (this.#module && (await this.#module) === module) this.#module = undefined;
    if (error instanceof BrokenModuleError && error.result) return error.result;
    const message = error instanceof Error ? error.message : String(error);
    return sandboxFailure(/memory/i.test(message) ? 'memory' : 'runtime', message, startedAt);
  }
}
