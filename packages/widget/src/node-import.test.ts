// @vitest-environment node
import { describe, expect, it } from 'vitest';

describe('the package in Node', () => {
  it('imports the classes and the define module without a DOM', async () => {
    const widget = await import('./index.js');
    expect(typeof widget.CartritaChat).toBe('function');
    await expect(import('./define.js')).resolves.toBeDefined();
    expect(new widget.CartritaEvent('x', 1)).toBeInstanceOf(Event);
  });
});
