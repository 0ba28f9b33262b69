import type { Transport } from '../core/request.js';

/** A group of methods for one URL area; all share the client's transport. */
export abstract class APIResource {
  protected readonly transport: Transport;

  constructor(transport: Transport) {
    this.transport = transport;
  }
}
