import { CartritaEvent } from './cartrita-event.js';

/** Fired when a thread starts loading (`setThread`, the history, `fetchUpdates`). */
export class CartritaThreadLoadStartEvent extends CartritaEvent<{ threadId: string }> {
  constructor(detail: { threadId: string }) {
    super('cartrita-thread-load-start', detail);
  }
}

/** Fired when a thread has loaded, or failed to (`error: true`). */
export class CartritaThreadLoadEndEvent extends CartritaEvent<{ threadId: string; error: boolean }> {
  constructor(detail: { threadId: string; error: boolean }) {
    super('cartrita-thread-load-end', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-thread-load-start': CartritaThreadLoadStartEvent;
    'cartrita-thread-load-end': CartritaThreadLoadEndEvent;
  }
}
