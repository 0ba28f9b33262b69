import { CartritaEvent } from './cartrita-event.js';

/** Fired before a message is sent, with its text and attachment ids. Cancel it (`preventDefault()`) to keep the message from being sent. */
export class CartritaMessageSendEvent extends CartritaEvent<{ text: string; attachments: string[] }> {
  constructor(detail: { text: string; attachments: string[] }) {
    super('cartrita-message-send', detail, true);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-message-send': CartritaMessageSendEvent;
  }
}
