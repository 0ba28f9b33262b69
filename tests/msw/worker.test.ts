/**
 * `@cartrita/msw/browser` in real Chromium: the mocks' service worker intercepts a page's requests,
 * and the engine they run (the reference server's, over memory) answers them inside the page. A
 * static server serves the page, the bundled mocks and MSW's worker script, and sees no API request:
 * everything the page asked the API was answered in the browser. Uses the built packages.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import * as commonjsPlugin from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import type { Browser } from 'playwright-core';
import { type Plugin, rollup } from 'rollup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { launchChromium } from '../widget/browser.js';

// The plugin ships ESM, but its types are read as CommonJS under Node's resolution: take the default
// export whichever way the module arrives.
const commonjs = ((commonjsPlugin as { default?: unknown }).default ?? commonjsPlugin) as unknown as (
  options?: object,
) => Plugin;

const mswPackage = fileURLToPath(new URL('../../packages/msw/', import.meta.url));
const workerScript = readFileSync(`${mswPackage}node_modules/msw/lib/mockServiceWorker.js`);

/** The mocks for a browser, as a user's bundler would build them (Node's own modules left out). */
const bundleMocks = async (): Promise<string> => {
  const entry = `import { setupCartritaWorker } from ${JSON.stringify(`${mswPackage}dist/browser.js`)};
window.setupCartritaWorker = setupCartritaWorker;`;
  const bundle = await rollup({
    input: 'entry',
    plugins: [
      {
        name: 'entry',
        resolveId: (id) => (id === 'entry' ? id : null),
        load: (id) => (id === 'entry' ? entry : null),
      },
      nodeResolve({ browser: true, exportConditions: ['browser'], preferBuiltins: false }),
      commonjs(),
    ],
    onwarn: () => {},
  });
  // One file: the PDF reader's lazily loaded `unpdf` is inlined, where a page's bundler would split it off.
  const { output } = await bundle.generate({ format: 'iife', inlineDynamicImports: true });
  return output[0].code;
};

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>mocks</title>
<link rel="icon" href="data:,"><script src="/mocks.js"></script></head><body></body></html>`;

let server: Server;
let origin = '';
let browser: Browser;
const requested: string[] = [];

beforeAll(async () => {
  const mocks = await bundleMocks();
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const [type, body] =
      req.url === '/'
        ? ['text/html; charset=utf-8', page]
        : req.url === '/mocks.js'
          ? ['text/javascript; charset=utf-8', mocks]
          : req.url === '/mockServiceWorker.js'
            ? ['text/javascript; charset=utf-8', workerScript]
            : req.url === '/fixtures/sample.pdf' || req.url === '/fixtures/sample.docx'
              ? [
                  'application/octet-stream',
                  readFileSync(new URL(`../fixtures/files/${req.url.slice(10)}`, import.meta.url)),
                ]
              : [undefined, undefined];
    if (type === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': type }).end(body);
  }).listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

it('answers a page’s requests in the browser with the engine the server runs', async () => {
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(origin);
  const result = await tab.evaluate(async () => {
    const worker = (
      window as unknown as {
        setupCartritaWorker(options: { baseURL: string }): { start(o: object): Promise<unknown> };
      }
    ).setupCartritaWorker({
      baseURL: location.origin,
    });
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
    const session = await (await fetch('/api/chatkit/session', { method: 'POST' })).json();
    const stream = await fetch('/chatkit', {
      method: 'POST',
      headers: { authorization: `Bearer ${session.client_secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'threads.create',
        params: {
          input: {
            content: [{ type: 'input_text', text: '/markdown' }],
            attachments: [],
            inference_options: {},
          },
        },
      }),
    });
    const events = (await stream.text())
      .split('\n\n')
      .filter(Boolean)
      .map((frame) => JSON.parse(frame.slice('data: '.length)));
    const chat = await (
      await fetch('/api/chat', {
        method: 'POST',
        headers: { authorization: `Bearer ${session.client_secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Hello from a browser' }),
      })
    ).json();
    return { session, contentType: stream.headers.get('content-type'), events, chat };
  });
  expect(errors).toEqual([]);
  expect(result.session.client_secret).toMatch(/^cks_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
  expect(result.contentType).toBe('text/event-stream; charset=utf-8');
  const types = result.events.map((event: { type: string }) => event.type);
  expect(types.slice(0, 3)).toEqual(['thread.created', 'thread.item.done', 'stream_options']);
  expect(types.at(-1)).toBe('thread.updated');
  const done = result.events.find(
    (event: { type: string; item?: { type: string } }) =>
      event.type === 'thread.item.done' && event.item?.type === 'assistant_message',
  );
  expect(done.item.content[0].text).toMatch(/^# Markdown showcase\n/);
  expect(result.chat).toMatchObject({
    provider: 'demo',
    model: 'demo-1',
    conversation_id: expect.stringMatching(/^thr_/),
  });
  expect(result.chat.response).toContain('You wrote: *Hello from a browser*');
  // The static server served the page and the scripts; the API was answered in the browser.
  expect(requested.filter((url) => url.startsWith('/api') || url.startsWith('/chatkit'))).toEqual([]);
  await tab.close();
}, 60_000);

it('reads a PDF in the browser with unpdf and fails a docx saying the browser does not read it', async () => {
  const tab = await browser.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (error) => errors.push(error.message));
  await tab.goto(origin);
  const statuses = await tab.evaluate(async () => {
    const worker = (
      window as unknown as {
        setupCartritaWorker(options: { baseURL: string }): { start(o: object): Promise<unknown> };
      }
    ).setupCartritaWorker({ baseURL: location.origin });
    await worker.start({ quiet: true, onUnhandledRequest: 'bypass' });
    const session = await (await fetch('/api/chatkit/session', { method: 'POST' })).json();
    const headers = { authorization: `Bearer ${session.client_secret}` };
    const ended = [];
    for (const name of ['sample.pdf', 'sample.docx']) {
      const form = new FormData();
      form.set('file', await (await fetch(`/fixtures/${name}`)).blob(), name);
      const { file_id } = await (
        await fetch('/files/upload', { method: 'POST', headers, body: form })
      ).json();
      for (;;) {
        const status = await (await fetch(`/files/status/${file_id}`, { headers })).json();
        if (status.status === 'completed' || status.status === 'failed') {
          ended.push(status);
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    }
    return ended;
  });
  expect(errors).toEqual([]);
  expect(statuses.map((status: { status: string }) => status.status)).toEqual(['completed', 'failed']);
  expect(statuses[0].chunks_created).toBe(1);
  expect(statuses[1].error).toBe(
    'Text is not extracted from application/vnd.openxmlformats-officedocument.wordprocessingml.document here. ' +
      'The browser mocks read PDF and text formats only; Office, OpenDocument, HTML and images are read by ' +
      'the server and by @cartrita/msw/node.',
  );
  await tab.close();
}, 60_000);
