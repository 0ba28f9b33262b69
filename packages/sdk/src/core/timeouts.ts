import { APITimeoutError, APIUserAbortError, type RequestDescription } from './errors.js';

/**
 * Default time to response headers, per attempt: 3 min, past the reference server's own wait for its
 * provider (2 min), so a slow but healthy reply is not cut and retried.
 */
export const DEFAULT_TIMEOUT_MS = 180_000;

/** Default longest silence between two stream events: 60 s. */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

/** Default deadline for a whole call, retries and body included: 10 min (streams have none by default). */
export const DEFAULT_TOTAL_TIMEOUT_MS = 600_000;

// setTimeout fires at once for delays past 2^31 - 1 ms, so longer timeouts are treated as no timeout.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Whether `ms` is a timeout that needs a timer: `0`, `Infinity` and values above ~24 days mean none
 * (as does `NaN`, which fails both comparisons).
 */
export const isActiveTimeout = (ms: number): boolean => ms > 0 && ms <= MAX_TIMER_MS;

/**
 * Runs `onTimeout` after `ms` milliseconds unless the returned function is called first. An inactive
 * timeout (see {@link isActiveTimeout}) never fires. `unref` lets a Node process exit while it pends.
 */
export const startTimer = (ms: number, onTimeout: () => void, unref = false): (() => void) => {
  if (!isActiveTimeout(ms)) return () => {};
  const timer = setTimeout(onTimeout, ms);
  // Node's timers can be unref'd; browsers' are plain numbers.
  if (unref) (timer as { unref?: () => void }).unref?.();
  return () => clearTimeout(timer);
};

/**
 * Runs `listener` once `signal` aborts, at once when it already has, and returns what removes it; with
 * no signal, nothing. For the layers that tie a caller's signal to a controller of their own.
 */
export const whenAborted = (signal: AbortSignal | undefined, listener: () => void): (() => void) => {
  if (signal?.aborted) listener();
  else signal?.addEventListener('abort', listener, { once: true });
  return () => signal?.removeEventListener('abort', listener);
};

/** Options of a {@link CallScope}. */
export interface CallScopeOptions {
  /** The caller's signal; its abort ends the call with {@link APIUserAbortError}. */
  signal?: AbortSignal | undefined;
  /** Deadline for the whole call in milliseconds; see {@link isActiveTimeout}. */
  totalTimeout: number;
}

/**
 * The lifetime of one logical call, across its retries and the reading of its body. It owns the
 * controller every attempt's fetch listens to, and aborts it with the error that explains why: the
 * caller's abort or the total deadline. Dispose it when the call is over.
 */
export class CallScope {
  /** Aborted, with a Cartrita error as its reason, when the call must stop. */
  readonly controller = new AbortController();
  /** The call's method and path, for error messages. */
  readonly request: RequestDescription;
  readonly #deadline: number;
  readonly #cleanups: Array<() => void> = [];

  constructor(request: RequestDescription, options: CallScopeOptions) {
    this.request = request;
    const { signal, totalTimeout } = options;
    this.#deadline = isActiveTimeout(totalTimeout) ? Date.now() + totalTimeout : Infinity;
    this.#cleanups.push(
      whenAborted(signal, () => this.abort(new APIUserAbortError({ ...request, cause: signal?.reason }))),
    );
    // Unref'd: a caller who never reads a raw body should not keep a Node process alive for 10 minutes.
    const onDeadline = () =>
      this.abort(new APITimeoutError({ ...request, kind: 'total', timeoutMs: totalTimeout }));
    this.#cleanups.push(startTimer(totalTimeout, onDeadline, true));
  }

  /** The controller's signal. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Milliseconds left before the total deadline; `Infinity` without one. */
  get remaining(): number {
    return this.#deadline - Date.now();
  }

  /** Aborts the call with `reason` unless it already ended (a signal keeps its first reason). */
  abort(reason: unknown): void {
    this.controller.abort(reason);
  }

  /** Releases the timers and listeners; the call's signal is left as it is. Safe to call twice. */
  dispose(): void {
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
  }
}
