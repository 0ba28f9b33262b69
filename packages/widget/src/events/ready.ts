import { CartritaEvent } from './cartrita-event.js';

/** Fired once the session is ready and the widget can send messages; `sessionId` is undefined when the page supplies client secrets itself. */
export class CartritaReadyEvent extends CartritaEvent<{ sessionId: string | undefined }> {
  constructor(detail: { sessionId: string | undefined }) {
    super('cartrita-ready', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-ready': CartritaReadyEvent;
  }
}
