import type { Action } from '@cartrita/contracts';
import { CartritaEvent } from './cartrita-event.js';
/** Fired when the user presses a widget button whose action has `handler: "client"`; the page handles it. */
export class CartritaActionEvent extends CartritaEvent<{ action: Action; itemId: string }> {
  constructor(detail: { action: Action; itemId: string }) {
    super('cartrita-action', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-action': CartritaActionEvent;
  }
}
