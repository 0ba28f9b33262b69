import { existsSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { routes } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { locales } from './locales/index.js';

/**
 * The budget of the script-tag file, everything included except the lazily loaded highlighter and
 * translations: lit, marked, and the SDK with the real ky, zod/mini and eventsource-parser.
 */
export const BUDGET_BYTES = 60 * 1024;

const dist = new URL('../dist/', import.meta.url);
const gzipped = (file: string) => gzipSync(readFileSync(new URL(file, dist)), { level: 9 }).length;

describe('the script-tag bundle', () => {
  it('exists (the test run builds it first)', () => {
    expect(existsSync(new URL('cartrita-chat.js', dist)), 'run the widget build first').toBe(true);
  });

  it('fits the 60 KB gzip budget', () => {
    const size = gzipped('cartrita-chat.js');
    console.log(`cartrita-chat.js: ${size} bytes gzip (budget ${BUDGET_BYTES})`);
    expect(size).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('keeps the highlighter and the translations out of it, in files of their own', () => {
    const script = readFileSync(new URL('cartrita-chat.js', dist), 'utf8');
    expect(script).toContain('cartrita-chat.highlight.js');
    expect(script).not.toContain('hljs.registerLanguage');
    for (const code of locales.filter((code) => code !== 'en')) {
      expect(existsSync(new URL(`cartrita-chat.locale-${code}.js`, dist))).toBe(true);
    }
    expect(gzipped('cartrita-chat.highlight.js')).toBeGreaterThan(10_000);
  });

  it('keeps the widget catalogue out of it, in a file of its own', () => {
    const script = readFileSync(new URL('cartrita-chat.js', dist), 'utf8');
    expect(script).toContain('cartrita-chat.widgets.js');
    expect(script).not.toContain('RadioGroup');
    const catalogue = readFileSync(new URL('cartrita-chat.widgets.js', dist), 'utf8');
    expect(catalogue).toContain('RadioGroup');
    console.log(`cartrita-chat.widgets.js: ${gzipped('cartrita-chat.widgets.js')} bytes gzip (on demand)`);
  });

  it('keeps the "/" commands menu out of it, in a file of its own', () => {
    const script = readFileSync(new URL('cartrita-chat.js', dist), 'utf8');
    expect(script).toContain('cartrita-chat.commands.js');
    expect(script).not.toContain('aria-selected');
    console.log(`cartrita-chat.commands.js: ${gzipped('cartrita-chat.commands.js')} bytes gzip (on demand)`);
  });

  it('keeps entity sources, previews and deep links out of it, in a file of its own', () => {
    const script = readFileSync(new URL('cartrita-chat.js', dist), 'utf8');
    expect(script).toContain('cartrita-chat.entities.js');
    expect(script).not.toContain('entity-preview');
    expect(readFileSync(new URL('cartrita-chat.entities.js', dist), 'utf8')).toContain('entity-preview');
    console.log(`cartrita-chat.entities.js: ${gzipped('cartrita-chat.entities.js')} bytes gzip (on demand)`);
  });

  it('carries the ChatKit resource of the SDK and no other', () => {
    const script = readFileSync(new URL('cartrita-chat.js', dist), 'utf8');
    // A path as code writes it: a whole string literal, or up to its first parameter.
    const written = (path: string) => {
      const head = path.split('{')[0] as string;
      return head === path ? ['"', "'", '`'].map((quote) => `${quote}${path}${quote}`) : [head];
    };
    const mentioned = (path: string) => written(path).some((text) => script.includes(text));
    const chatkit = routes.filter((route) => route.tag === 'chatkit' && !route.path.includes('{'));
    const others = routes.filter((route) => route.tag !== 'chatkit');
    expect(chatkit.map((route) => route.path).filter(mentioned)).toEqual([
      '/api/chatkit/session',
      '/chatkit',
    ]);
    expect(others.map((route) => route.path).filter(mentioned)).toEqual([]);
  });
});
