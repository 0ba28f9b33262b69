import type { ErrorCode, RouteId } from '@cartrita/contracts';

/** Wait before answering (time to headers). */
export interface LatencyFault {
  readonly kind: 'latency';
  readonly ms: number;
}

/** Answer with an error status and the error envelope instead of the real response. */
export interface StatusFault {
  readonly kind: 'status';
  readonly status: number;
  /** `error.code`; defaults to the code of the status (`503` is `SERVICE_UNAVAILABLE`). */
  readonly errorCode?: ErrorCode | (string & {});
  readonly message?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Fail the request at the network level: `fetch` rejects with a `TypeError`. */
export interface NetworkErrorFault {
  readonly kind: 'network_error';
}

/** Send `events` events of a stream, then break the connection: reading the body rejects. */
export interface CutStreamFault {
  readonly kind: 'cut_stream';
  readonly events: number;
}

/** Send `events` events of a stream, then nothing more until the client aborts. */
export interface StallStreamFault {
  readonly kind: 'stall_stream';
  readonly events: number;
}

/** A fault a test switches on with {@link Scenarios.use}. */
export type Fault = LatencyFault | StatusFault | NetworkErrorFault | CutStreamFault | StallStreamFault;

/** The kind of a {@link Fault}. */
export type FaultKind = Fault['kind'];

/** Answers take `ms` milliseconds longer. */
export const latency = (ms: number): LatencyFault => {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`latency(ms) needs a non-negative number, got ${ms}`);
  return { kind: 'latency', ms };
};

/**
 * Answers with `code` (any error status) and the error envelope.
 *
 * @example
 * faults.use(status(503), { route: 'chatkit.session.create', times: 2 });
 */
export const status = (
  code: number,
  options: { errorCode?: ErrorCode | (string & {}); message?: string; headers?: Record<string, string> } = {},
): StatusFault => {
  if (!Number.isInteger(code) || code < 400 || code > 599) {
    throw new RangeError(`status(code) needs an error status from 400 to 599, got ${code}`);
  }
  return { kind: 'status', status: code, ...options };
};

/** Answers 429 `RATE_LIMITED` with `Retry-After: <seconds>`. */
export const rateLimited = (options: { retryAfterSeconds: number }): StatusFault =>
  status(429, {
    errorCode: 'RATE_LIMITED',
    message: `Rate limit exceeded: retry after ${options.retryAfterSeconds} s`,
    headers: { 'Retry-After': String(options.retryAfterSeconds) },
  });

/** The request fails as if the network went away (`HttpResponse.error()`). */
export const networkError = (): NetworkErrorFault => ({ kind: 'network_error' });

const eventCount = (name: string, events: number) => {
  if (!Number.isInteger(events) || events < 0) {
    throw new RangeError(`${name}(n) needs a non-negative integer, got ${events}`);
  }
  return events;
};

/** A streaming answer sends `events` events and then breaks: the response body errors. */
export const cutStreamAfter = (events: number): CutStreamFault => ({
  kind: 'cut_stream',
  events: eventCount('cutStreamAfter', events),
});

/** A streaming answer sends `events` events and then goes silent until the client aborts. */
export const stallStreamAfter = (events: number): StallStreamFault => ({
  kind: 'stall_stream',
  events: eventCount('stallStreamAfter', events),
});

/** Where and how often a fault applies. */
export interface FaultOptions {
  /** Only requests to this route (or these routes). Default: every route. */
  route?: RouteId | readonly RouteId[];
  /** Only the next `times` requests it applies to. Default: until removed. */
  times?: number;
  /** Shorthand for `times: 1`. */
  once?: boolean;
}

/** A fault that is switched on, with how many more requests it applies to. */
export interface ActiveFault {
  readonly fault: Fault;
  readonly routes: readonly RouteId[] | undefined;
  /** Requests left; `Infinity` until removed. */
  readonly remaining: number;
}

/**
 * The switchboard of faults shared by a set of handlers. A test turns faults on with `use` and off
 * with the function `use` returns, or all at once with `reset`.
 */
export interface Scenarios {
  /** Turns a fault on. The newest fault wins when several apply. Returns a function that turns it off. */
  use(fault: Fault, options?: FaultOptions): () => void;
  /** Turns every fault off. */
  reset(): void;
  /** The faults currently on, newest first. */
  readonly active: readonly ActiveFault[];
  /**
   * Used by the handlers: takes the newest fault of one of `kinds` that applies to `route`, counting
   * one use of it. Latency and status faults are taken when a request arrives, stream faults when a
   * streaming answer starts, so a JSON request never uses up a stream fault.
   */
  take<K extends FaultKind>(route: RouteId, kinds: readonly K[]): Extract<Fault, { kind: K }> | undefined;
}

interface Entry {
  fault: Fault;
  routes: readonly RouteId[] | undefined;
  remaining: number;
}

/**
 * Creates a set of fault switches to pass to `createHandlers({ scenarios })`.
 *
 * @example
 * const faults = createScenarios();
 * const server = setupServer(...createHandlers({ scenarios: faults }));
 * faults.use(rateLimited({ retryAfterSeconds: 1 }), { route: 'chatkit.request', once: true });
 * faults.use(cutStreamAfter(3));
 * afterEach(() => faults.reset());
 */
export const createScenarios = (): Scenarios => {
  let entries: Entry[] = [];
  return {
    use(fault, options = {}) {
      const times = options.once ? 1 : (options.times ?? Number.POSITIVE_INFINITY);
      if (!(times >= 1)) throw new RangeError(`times must be at least 1, got ${times}`);
      const route = options.route;
      const routes: readonly RouteId[] | undefined =
        route === undefined ? undefined : typeof route === 'string' ? [route as RouteId] : route;
      const entry: Entry = { fault, routes, remaining: times };
      entries = [entry, ...entries];
      return () => {
        entries = entries.filter((other) => other !== entry);
      };
    },
    reset() {
      entries = [];
    },
    get active() {
      return entries.map(({ fault, routes, remaining }) => ({ fault, routes, remaining }));
    },
    take<K extends FaultKind>(route: RouteId, kinds: readonly K[]) {
      const entry = entries.find(
        (candidate) =>
          (kinds as readonly FaultKind[]).includes(candidate.fault.kind) &&
          (candidate.routes === undefined || candidate.routes.includes(route)),
      );
      if (!entry) return undefined;
      entry.remaining -= 1;
      if (entry.remaining <= 0) entries = entries.filter((other) => other !== entry);
      return entry.fault as Extract<Fault, { kind: K }>;
    },
  };
};
