import type { CallOptions, Transport } from './request.js';

/** Per-call options every resource method takes. */
export interface RequestCallOptions extends CallOptions {
  /** Aborts the call, also during a retry wait; it then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Headers for this call only; they override the client's. */
  headers?: Record<string, string> | undefined;
  /**
   * The `Idempotency-Key` of a POST: the server runs a call with a key it has seen once, and answers
   * the repeat as it answered the first. Default: a random key per call, the same on its retries.
   */
  idempotencyKey?: string | undefined;
  /** `fetch` options of this call (`credentials`, `cache`, a runtime's own), over the client's. */
  fetchOptions?: RequestInit | undefined;
}

/** A group of methods for one URL area; all share the client's transport. */
export abstract class APIResource {
  protected readonly transport: Transport;

  constructor(transport: Transport) {
    this.transport = transport;
  }
}
