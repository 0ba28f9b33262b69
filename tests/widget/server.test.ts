import { readFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
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

/** A GET whose body is read as it arrives: `fetch` would undo the content encoding. */
const rawGet = (url: string, headers: Record<string, string>) =>
  new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }),
      );
      response.on('error', reject);
    }).on('error', reject);
  });

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

  it('sends the script-tag file compressed: gzip within its 60 KB budget, brotli smaller still', async () => {
    const url = `${server.url}/widget/v${version}/cartrita-chat.js`;
    const file = readFileSync(widgetBundle);
    const gzipped = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(gunzipSync(gzipped.body).equals(file)).toBe(true);
    expect(gzipped.body.length).toBeLessThanOrEqual(60 * 1024);

    const brotli = await rawGet(url, { 'accept-encoding': 'gzip, deflate, br' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.body).equals(file)).toBe(true);
    expect(brotli.body.length).toBeLessThan(gzipped.body.length);

    const noEncoding: Record<string, string>[] = [
      { 'accept-encoding': 'identity' },
      { 'accept-encoding': 'br;q=0, gzip;q=0' },
      {},
    ];
    for (const headers of noEncoding) {
      const plain = await rawGet(url, headers);
      expect(plain.headers['content-encoding'], JSON.stringify(headers)).toBeUndefined();
      expect(plain.body.equals(file)).toBe(true);
    }
  });

  it('answers the revalidation of an unchanged file with 304', async () => {
    const url = `${server.url}/widget/latest/cartrita-chat.locale-ja.js`;
    const first = await rawGet(url, { 'accept-encoding': 'gzip' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]+-gzip"$/);
    const again = await rawGet(url, { 'accept-encoding': 'gzip', 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
    // Another encoding is another representation.
    const brotli = await rawGet(url, { 'accept-encoding': 'br', 'if-none-match': etag });
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
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
