import { CartritaEvent } from './cartrita-event.js';

/** Fired when the shown thread changes: a new thread was created, another one opened, or a new conversation started (`null`). */
export class CartritaThreadChangeEvent extends CartritaEvent<{ threadId: string | null }> {
  constructor(detail: { threadId: string | null }) {
    super('cartrita-thread-change', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-thread-change': CartritaThreadChangeEvent;
  }
}
