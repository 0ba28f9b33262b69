import { CartritaEvent } from './cartrita-event.js';

/** Fired when the user picks a composer tool, or none (`toolId: null`). */
export class CartritaToolChangeEvent extends CartritaEvent<{ toolId: string | null }> {
  constructor(detail: { toolId: string | null }) {
    super('cartrita-tool-change', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-tool-change': CartritaToolChangeEvent;
  }
}
