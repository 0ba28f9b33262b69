import { CartritaEvent } from './cartrita-event.js';

/** Fired for a `client_effect` stream event: a fire-and-forget instruction from the server for the host page. */
export class CartritaEffectEvent extends CartritaEvent<{ name: string; data: Record<string, unknown> }> {
  constructor(detail: { name: string; data: Record<string, unknown> }) {
    super('cartrita-effect', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-effect': CartritaEffectEvent;
  }
}
