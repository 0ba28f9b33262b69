import { CartritaEvent } from './cartrita-event.js';

/** Fired when the assistant calls a client tool, before the `onClientTool` hook runs. */
export class CartritaToolCallEvent extends CartritaEvent<{
  name: string;
  params: Record<string, unknown>;
  callId: string;
}> {
  constructor(detail: { name: string; params: Record<string, unknown>; callId: string }) {
    super('cartrita-tool-call', detail);
  }
}

declare global {
  interface GlobalEventHandlersEventMap {
    'cartrita-tool-call': CartritaToolCallEvent;
  }
}
