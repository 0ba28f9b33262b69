import { CartritaEvent } from './cartrita-event.js';

/** Fired when a streamed answer is over: finished, stopped by the user (`stopped`) or failed (`error`). */
export class CartritaResponseEndEvent extends CartritaEvent<{
  threadId: string | undefined;
  stopped: boolean;
  error: boolean;
}> {
  constructor(detail: { threadId: string | undefined; stopped: boolean; error: boolean }) {
    super('cartrita-response-end', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-response-end': CartritaResponseEndEvent;
  }
}
