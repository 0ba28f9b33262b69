import { CartritaEvent } from './cartrita-event.js';

/**
 * A diagnostic record for the page's logging or analytics: `message.send`, `action.send`,
 * `tool.output`, `thread.load`, `stream.error`. Never carries message text or secrets.
 */
export class CartritaLogEvent extends CartritaEvent<{ name: string; data: Record<string, unknown> }> {
  constructor(detail: { name: string; data: Record<string, unknown> }) {
    super('cartrita-log', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-log': CartritaLogEvent;
  }
}
