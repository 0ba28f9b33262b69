import type { CallOptions, Transport } from './request.js';

/** Per-call options every resource method takes. */
export interface RequestCallOptions extends CallOptions {
  /** Aborts the call, also during a retry wait; it then rejects with `APIUserAbortError`. */
  signal?: AbortSignal | undefined;
  /** Headers for this call only; they override the client's. */
  headers?: Record<string, string> | undefined;
}

/** A group of methods for one URL area; all share the client's transport. */
export abstract class APIResource {
  protected readonly transport: Transport;

  constructor(transport: Transport) {
    this.transport = transport;
  }
}
