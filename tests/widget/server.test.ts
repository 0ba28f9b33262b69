import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { widgetBundle } from './browser.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const version = (await import('../../packages/widget/package.json', { with: { type: 'json' } })).default
  .version;

describe('the reference server and the widget files', () => {
  it('serves the script-tag file at a versioned path, cached for a year and embeddable anywhere', async () => {
    expect(widgetBundle).toMatch(/cartrita-chat\.js$/);
    const response = await fetch(`${server.url}/widget/v${version}/cartrita-chat.js`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(await response.text()).toContain('cartrita-chat');
  });

  it('serves the lazily loaded files next to it and a short-lived latest copy', async () => {
    const highlight = await fetch(`${server.url}/widget/v${version}/cartrita-chat.highlight.js`);
    expect(highlight.status).toBe(200);
    const latest = await fetch(`${server.url}/widget/latest/cartrita-chat.locale-ar.js`);
    expect(latest.status).toBe(200);
    expect(latest.headers.get('cache-control')).toBe('public, max-age=300, must-revalidate');
  });

  it('answers 503 with a sentence for a file that was not built, and 404 for anything else', async () => {
    const missing = await fetch(`${server.url}/widget/latest/cartrita-chat.locale-xx.js`);
    expect(missing.status).toBe(503);
    expect((await missing.json()).error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: expect.stringMatching(/not been built/),
    });
    expect((await fetch(`${server.url}/widget/v0.0.0-old/cartrita-chat.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/widget/latest/..%2Fpackage.json`)).status).toBe(404);
  });

  it('serves a demo page that loads only its own scripts', async () => {
    const page = await fetch(`${server.url}/`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain("unsafe-inline'; script");
    const html = await page.text();
    expect(html).toContain(`<script src="/widget/v${version}/cartrita-chat.js" defer></script>`);
    expect(html).toContain('<cartrita-chat id="inline"');
    expect(html).toContain('<cartrita-chat id="launcher" launcher');
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    expect((await fetch(`${server.url}/demo.js`)).headers.get('content-type')).toMatch(/javascript/);
    expect((await fetch(`${server.url}/openapi.json`)).status).toBe(200);
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);
  });
});
