import { CartritaEvent } from './cartrita-event.js';

/** Fired when the widget starts a request whose answer streams (a message, a retry, a tool result, a form answer or a widget action). */
export class CartritaResponseStartEvent extends CartritaEvent<{ threadId: string | undefined }> {
  constructor(detail: { threadId: string | undefined }) {
    super('cartrita-response-start', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-response-start': CartritaResponseStartEvent;
  }
}
