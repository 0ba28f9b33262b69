/** @module What a provider mock received: each request's URL, headers and body, newest last. */

/** One request a provider mock received. */
export interface UpstreamRequestRecord {
  url: URL;
  method: string;
  headers: Headers;
  /** The raw body. */
  bytes: Uint8Array;
  /** The request's signal: aborted when the client cancels the call. */
  signal: AbortSignal;
}

/** Keeps the requests a provider mock received. */
export class UpstreamRecorder {
  readonly requests: UpstreamRequestRecord[] = [];

  /** The newest request. */
  get last(): UpstreamRequestRecord | undefined {
    return this.requests.at(-1);
  }

  /** Forgets every request. */
  clear(): void {
    this.requests.length = 0;
  }

  /** Records a request (its body read from a clone, so the handler can still read it). */
  async record(request: Request): Promise<UpstreamRequestRecord> {
    const bytes = new Uint8Array(await request.clone().arrayBuffer());
    const recorded = {
      url: new URL(request.url),
      method: request.method,
      headers: request.headers,
      bytes,
      signal: request.signal,
    };
    this.requests.push(recorded);
    return recorded;
  }
}

/** Resolves when the request is aborted: a provider that never answers. */
export const untilAborted = (request: Request): Promise<void> =>
  new Promise((resolve) => {
    if (request.signal.aborted) resolve();
    else request.signal.addEventListener('abort', () => resolve(), { once: true });
  });
