/**
 * @module Registers `<cartrita-chat>`. Importing this module defines the element; it does nothing
 * where there is no `customElements` (Node, server rendering without a DOM shim).
 */
import { CartritaChat } from './components/cartrita-chat/cartrita-chat.js';

/**
 * Defines `<cartrita-chat>` (or another tag name) unless the name is taken, in which case it warns
 * and keeps the existing definition, so two copies of the script on one page do not throw.
 *
 * @example
 * ```ts
 * import { defineCartritaChat } from '@cartrita/widget/define';
 * defineCartritaChat('support-chat'); // a second tag, for a page that already uses <cartrita-chat>
 * ```
 */
export const defineCartritaChat = (tagName = 'cartrita-chat'): void => {
  if (typeof customElements === 'undefined') return;
  const existing = customElements.get(tagName);
  if (existing) {
    if (existing !== CartritaChat && !(existing.prototype instanceof CartritaChat)) {
      console.warn(
        `<${tagName}> is already defined by another script; Cartrita's definition was not registered.`,
      );
    }
    return;
  }
  // Each tag needs its own class: the registry refuses one class under two names.
  customElements.define(tagName, tagName === 'cartrita-chat' ? CartritaChat : class extends CartritaChat {});
};

defineCartritaChat();
