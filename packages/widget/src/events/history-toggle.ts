import { CartritaEvent } from './cartrita-event.js';

/** Fired when the thread history opens or closes (its button, Escape, `showHistory`, `hideHistory`). */
export class CartritaHistoryToggleEvent extends CartritaEvent<{ open: boolean }> {
  constructor(detail: { open: boolean }) {
    super('cartrita-history-toggle', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-history-toggle': CartritaHistoryToggleEvent;
  }
}
