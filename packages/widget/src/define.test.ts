// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';

describe('define', () => {
  it('registers <cartrita-chat> on import', async () => {
    const { CartritaChat } = await import('./index.js');
    expect(customElements.get('cartrita-chat')).toBeUndefined();
    await import('./define.js');
    expect(customElements.get('cartrita-chat')).toBe(CartritaChat);
  });

  it('warns instead of throwing when a tag is already taken', async () => {
    const { defineCartritaChat } = await import('./define.js');
    customElements.define('taken-chat', class extends HTMLElement {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => defineCartritaChat('taken-chat')).not.toThrow();
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('<taken-chat> is already defined'));
    // Loading the script twice is fine and silent.
    warn.mockClear();
    defineCartritaChat();
    expect(warn).not.toHaveBeenCalled();
  });

  it('defines the element under a second tag name', async () => {
    const { defineCartritaChat } = await import('./define.js');
    const { CartritaChat } = await import('./index.js');
    defineCartritaChat('support-chat');
    expect(document.createElement('support-chat')).toBeInstanceOf(CartritaChat);
  });
});
