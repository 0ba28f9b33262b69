import { CartritaEvent } from './cartrita-event.js';

/** Fired when something fails: the session, a request, or an error event inside a stream. `message` is what the widget shows. */
export class CartritaErrorEvent extends CartritaEvent<{ error: unknown; message: string }> {
  constructor(detail: { error: unknown; message: string }) {
    super('cartrita-error', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-error': CartritaErrorEvent;
  }
}
