/**
 * @module A scriptable stand-in for a ChatKit server at the `fetch` level, for unit tests of the
 * widget's controllers: the real SDK runs against it (retries, timeouts, SSE parsing included).
 */

/** What a Lit reactive controller implements (the tests' root cannot resolve `lit` itself). */
interface ReactiveController {
  hostConnected?(): void;
  hostDisconnected?(): void;
}

/** What a Lit reactive controller host provides. */
interface ReactiveControllerHost {
  addController(controller: ReactiveController): void;
  removeController(controller: ReactiveController): void;
  requestUpdate(): void;
  readonly updateComplete: Promise<boolean>;
}

/** One request the fake received. */
export interface FakeCall {
  url: string;
  path: string;
  method: string;
  headers: Headers;
  /** The parsed JSON body, or the raw body for anything else. */
  body: unknown;
  /** `body.type` for `/chatkit` requests. */
  type: string | undefined;
  signal: AbortSignal | undefined;
}

/** Answers one call; return a `Response` (or throw to simulate a network failure). */
export type FakeHandler = (call: FakeCall) => Response | Promise<Response>;

/** A JSON response. */
export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** An event stream that sends `events` and ends. */
export const sse = (events: unknown[]): Response =>
  new Response(events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join(''), {
    headers: { 'content-type': 'text/event-stream' },
  });

/** An event stream the test feeds by hand; it errors when the request is aborted. */
export const liveSse = (signal?: AbortSignal) => {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
  });
  signal?.addEventListener('abort', () => {
    try {
      controller.error(signal.reason);
    } catch {
      // Already closed.
    }
  });
  return {
    response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    push: (event: unknown) => controller.enqueue(encoder.encode(`data: ${JSON.stringify(event)}\n\n`)),
    end: () => controller.close(),
    /** Breaks the body off, as a lost connection does. */
    fail: (error: unknown = new TypeError('network error')) => controller.error(error),
  };
};

/** A session answer that expires in `ttl` seconds. */
export const session = (secret = 'secret-1', ttl = 600) => ({
  client_secret: secret,
  session_id: 'sess_1',
  expires_at: new Date(Date.now() + ttl * 1000).toISOString(),
  capabilities: { transcription: false, attachments: { max_bytes: 1000, accept: ['image/*', 'text/plain'] } },
});

/** A `fetch` that records calls and answers them with `handler`. */
export const fakeFetch = (handler: FakeHandler) => {
  const calls: FakeCall[] = [];
  const fetch = async (input: Request | string | URL, init: RequestInit = {}): Promise<Response> => {
    // ky hands over a Request; the script-tag build's ky-lite a URL and init.
    const request = input instanceof Request ? input : undefined;
    const url = String(request ? request.url : input);
    let body: unknown = init.body;
    if (request && init.body === undefined && request.method !== 'GET') {
      body = request.headers.get('content-type')?.includes('json')
        ? await request.clone().text()
        : request.body;
    }
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body);
      } catch {
        // Not JSON.
      }
    }
    const call: FakeCall = {
      url,
      path: new URL(url).pathname,
      method: init.method ?? request?.method ?? 'GET',
      headers: new Headers(init.headers ?? request?.headers),
      body,
      type: (body as { type?: string } | undefined)?.type,
      signal: init.signal ?? request?.signal ?? undefined,
    };
    calls.push(call);
    if (call.signal?.aborted) throw call.signal.reason;
    return await new Promise<Response>((resolve, reject) => {
      call.signal?.addEventListener('abort', () => reject(call.signal?.reason), { once: true });
      Promise.resolve()
        .then(() => handler(call))
        .then(resolve, reject);
    });
  };
  return { fetch, calls };
};

/** A minimal reactive controller host that records updates. */
export class FakeHost implements ReactiveControllerHost {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  readonly updateComplete = Promise.resolve(true);
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  /** Calls `hostConnected` on every controller, as an element does when attached. */
  connect(): this {
    for (const controller of this.controllers) controller.hostConnected?.();
    return this;
  }
  disconnect(): void {
    for (const controller of this.controllers) controller.hostDisconnected?.();
  }
}

/** Resolves after pending promise callbacks and timers of 0 ms have run. */
export const settle = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
