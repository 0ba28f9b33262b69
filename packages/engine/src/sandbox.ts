/**
 * @module The sandbox port: user-supplied JavaScript (tools, handlers, module scripts) runs only
 * through it, with limits on time and memory and no host access beyond what is handed in.
 */

/** What a call may reach of the host. */
export interface SandboxHost {
  /** `emit(eventType, data)` in the code: publishes an event. */
  emit?(eventType: string, data: unknown): void | Promise<void>;
  /** `log(level, message, data?)` in the code (also `console.*`). */
  log?(level: 'debug' | 'info' | 'warn' | 'error', message: string, data?: unknown): void;
  /** Hosts `fetch` may reach (exact host names); `fetch` is absent when there are none. */
  fetchAllowlist?: readonly string[];
}

/** One call of user code. */
export interface SandboxRequest {
  /** One JavaScript function: a declaration, a function expression or an arrow function. */
  code: string;
  /** The function's one argument, passed as JSON. */
  input: unknown;
  /** The call's deadline in milliseconds; the sandbox's default when absent. */
  timeoutMs?: number;
  host?: SandboxHost;
  /** Who the call is for (a session), so one caller's flood waits behind its own calls. */
  owner?: string;
  /**
   * Stops the call when it aborts: one still waiting is dropped, and a sandbox that can stop a
   * running call (the server's worker pool stops its worker) does so. It then answers `cancelled`.
   */
  signal?: AbortSignal;
}

/** Why a call failed. */
export type SandboxFailureKind =
  | 'not_javascript'
  | 'syntax'
  | 'runtime'
  | 'timeout'
  | 'memory'
  | 'stack'
  | 'output_too_large'
  | 'busy'
  | 'cancelled';

/** A failure of user code, told in a sentence the caller can show. */
export interface SandboxFailure {
  kind: SandboxFailureKind;
  message: string;
}

/** The outcome of a call. */
export type SandboxResult =
  | { ok: true; value: unknown; durationMs: number }
  | { ok: false; error: SandboxFailure; durationMs: number };

/**
 * A failed call: what every sandbox answers for code that failed, for a full queue and for a closed
 * sandbox. `startedAt` (from `performance.now()`) gives its duration; none means it never ran.
 */
export const sandboxFailure = (
  kind: SandboxFailureKind,
  message: string,
  startedAt?: number,
): SandboxResult => ({
  ok: false,
  error: { kind, message },
  durationMs: startedAt === undefined ? 0 : performance.now() - startedAt,
});

/** How busy the sandbox is. */
export interface SandboxStats {
  workers: number;
  busy: number;
  queued: number;
  /** Calls run since start, and the time they took in total. */
  calls: number;
  totalMs: number;
}

/** Where user code runs. */
export interface Sandbox {
  /** Runs a call; never throws for the code's own faults, which come back as `ok: false`. */
  run(request: SandboxRequest): Promise<SandboxResult>;
  /** Whether code is one JavaScript function; the failure (`not_javascript`, `syntax`) when it is not. */
  check(code: string): Promise<SandboxFailure | undefined>;
  stats(): SandboxStats;
  close(): Promise<void>;
}
