import { CartritaEvent } from './cartrita-event.js';

/** Fired when the launcher panel opens or closes. */
export class CartritaToggleEvent extends CartritaEvent<{ open: boolean }> {
  constructor(detail: { open: boolean }) {
    super('cartrita-toggle', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-toggle': CartritaToggleEvent;
  }
}
