import { CartritaEvent } from './cartrita-event.js';

/**
 * Fired when a `chatkit-link://` deep link in a message is clicked (ChatKit's `chatkit.deeplink`):
 * `name` is what the link names, `data` its query parameters.
 */
export class CartritaDeeplinkEvent extends CartritaEvent<{ name: string; data?: Record<string, string> }> {
  constructor(detail: { name: string; data?: Record<string, string> }) {
    super('cartrita-deeplink', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-deeplink': CartritaDeeplinkEvent;
  }
}
