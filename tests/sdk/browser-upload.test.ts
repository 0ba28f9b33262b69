import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import type { Browser, Page } from 'playwright-core';
import { rollup } from 'rollup';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { launchChromium } from '../widget/browser.js';
import { expectProgramResult } from './runtimes/expect-program.js';

// The SDK in a real browser (upload progress, and a chat call and its streams with their responses):
// Debian's Chromium, the built SDK bundled for the browser, the real server. `fetch` reports no upload
// progress in a browser, so the SDK sends such an upload with XMLHttpRequest; the network is throttled
// so that the upload takes long enough for Chromium to report it along the way.

const programPath = fileURLToPath(new URL('./runtimes/program.mjs', import.meta.url));
const sdkEntry = fileURLToPath(new URL('../../packages/sdk/dist/index.js', import.meta.url));

let server: TestServer;
let browser: Browser;
let page: Page;

/** The built SDK as one classic script that sets `window.CartritaSDK`. */
const bundleSdk = async (): Promise<string> => {
  if (!existsSync(sdkEntry))
    throw new Error(`${sdkEntry} is missing: build the packages first (pnpm build).`);
  const build = await rollup({
    input: sdkEntry,
    plugins: [nodeResolve({ browser: true, exportConditions: ['browser'] })],
    logLevel: 'silent',
  });
  const { output } = await build.generate({ format: 'iife', name: 'CartritaSDK' });
  await build.close();
  return output[0].code;
};

beforeAll(async () => {
  const script = await bundleSdk();
  server = await startTestServer();
  browser = await launchChromium();
  page = await browser.newPage();
  const path = '/__sdk-upload-test';
  await page.route(`${server.url}${path}`, (route) =>
    route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html><head><meta charset="utf-8"><title>SDK upload</title></head><body></body></html>',
    }),
  );
  await page.goto(`${server.url}${path}`);
  await page.addScriptTag({ content: script });
  // About 256 KB/s up: a 1 MB upload takes seconds, and Chromium reports its progress every 50 ms.
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: 256 * 1024,
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface PageResult {
  progress: { loaded: number; total: number }[];
  size: number;
  name: string;
  initiator: string | undefined;
}

it('client.files.upload reports progress from XMLHttpRequest in Chromium, chunk by chunk', async () => {
  const result: PageResult = await page.evaluate(async () => {
    const { CartritaClient } = (window as unknown as { CartritaSDK: typeof import('@cartrita/sdk') })
      .CartritaSDK;
    const anonymous = new CartritaClient({ baseURL: location.origin });
    const { client_secret } = await anonymous.chatkit.createSession();
    const client = new CartritaClient({ baseURL: location.origin, clientSecret: client_secret });
    const file = new File(['Notes for the trip.\n'.repeat(50_000)], 'trip-notes.txt', { type: 'text/plain' });
    const progress: { loaded: number; total: number }[] = [];
    const uploaded = await client.files.upload(file, { onProgress: (event) => progress.push(event) });
    const entry = performance
      .getEntriesByType('resource')
      .find((each) => each.name.endsWith('/files/upload')) as PerformanceResourceTiming | undefined;
    return { progress, size: uploaded.size, name: uploaded.filename, initiator: entry?.initiatorType };
  });
  expect([result.name, result.size]).toEqual(['trip-notes.txt', 1_000_000]);
  // Sent by XMLHttpRequest, not fetch.
  expect(result.initiator).toBe('xmlhttprequest');
  const total = result.progress[0]?.total ?? 0;
  expect(total).toBeGreaterThan(1_000_000);
  expect(result.progress[0]).toEqual({ loaded: 0, total });
  expect(result.progress.at(-1)).toEqual({ loaded: total, total });
  const between = result.progress.filter((event) => event.loaded > 0 && event.loaded < total);
  expect(between.length).toBeGreaterThanOrEqual(3);
  const loaded = result.progress.map((event) => event.loaded);
  expect(loaded).toEqual([...loaded].sort((a, b) => a - b));
});

it('chatkit.attachments.upload goes through XMLHttpRequest with onUploadProgress, and its answer is validated', async () => {
  const result = await page.evaluate(async () => {
    const { CartritaClient } = (window as unknown as { CartritaSDK: typeof import('@cartrita/sdk') })
      .CartritaSDK;
    const anonymous = new CartritaClient({ baseURL: location.origin });
    const { client_secret } = await anonymous.chatkit.createSession();
    const client = new CartritaClient({ baseURL: location.origin, clientSecret: client_secret });
    const progress: { loaded: number; total: number }[] = [];
    const { data, requestId } = await client.chatkit.attachments
      .upload(new Blob(['hello '.repeat(20_000)], { type: 'text/plain' }), 'hello.txt', {
        onUploadProgress: (event) => progress.push(event),
      })
      .withResponse();
    const initiators = performance
      .getEntriesByType('resource')
      .filter((each) => each.name.endsWith('/chatkit/attachments'))
      .map((each) => (each as PerformanceResourceTiming).initiatorType);
    return { name: data.name, mime: data.mime_type, requestId, progress, initiators };
  });
  expect([result.name, result.mime]).toEqual(['hello.txt', 'text/plain']);
  expect(result.requestId).toMatch(/^.{8,}$/);
  expect(result.initiators).toEqual(['xmlhttprequest']);
  const total = result.progress[0]?.total ?? 0;
  expect(total).toBeGreaterThan(120_000);
  expect(result.progress.at(-1)).toEqual({ loaded: total, total });
});

it('an upload refused by the server rejects with the API error, as fetch would', async () => {
  const result = await page.evaluate(async () => {
    const { CartritaClient, APIError } = (
      window as unknown as { CartritaSDK: typeof import('@cartrita/sdk') }
    ).CartritaSDK;
    const client = new CartritaClient({
      baseURL: location.origin,
      clientSecret: 'cs_not_a_secret',
      maxRetries: 0,
    });
    try {
      await client.files.upload(new Blob(['x']), { filename: 'x.txt', onProgress: () => {} });
      return { status: 0, isAPIError: false };
    } catch (error) {
      return { status: (error as { status: number }).status, isAPIError: error instanceof APIError };
    }
  });
  expect(result).toEqual({ status: 401, isAPIError: true });
});

it('makes a chat call and reads both kinds of stream in Chromium, with their responses', async () => {
  const result = await page.evaluate(async () => {
    const { CartritaClient } = (window as unknown as { CartritaSDK: typeof import('@cartrita/sdk') })
      .CartritaSDK;
    const anonymous = new CartritaClient({ baseURL: location.origin });
    const { client_secret } = await anonymous.chatkit.createSession();
    const client = new CartritaClient({ baseURL: location.origin, clientSecret: client_secret });
    const { data: reply, requestId } = await client.chat.create({ message: 'Hello' }).withResponse();
    const opened = await client.chat
      .stream({ message: 'Hello again', conversation_id: reply.conversation_id })
      .withResponse();
    const frames: string[] = [];
    for await (const frame of opened.data) frames.push(frame.type);
    const input = {
      content: [{ type: 'input_text' as const, text: 'Hi' }],
      attachments: [],
      inference_options: {},
    };
    const { data: events, response } = await client.chatkit.threads.create({ input }).withResponse();
    const chatkit: string[] = [];
    for await (const event of events) chatkit.push(event.type);
    return {
      reply: reply.response === '' ? 'empty' : 'text',
      requestId: /^.{8,}$/.test(requestId ?? ''),
      streamRequestId: opened.requestId === opened.response.headers.get('x-request-id'),
      frames: [frames[0], frames.at(-1)],
      text: opened.data.text === '' ? 'empty' : 'text',
      chatkit: [response.status, chatkit[0], chatkit.includes('thread.item.done')],
    };
  });
  expect(result).toEqual({
    reply: 'text',
    requestId: true,
    streamRequestId: true,
    frames: ['start', 'done'],
    text: 'text',
    chatkit: [200, 'thread.created', true],
  });
});

it('runs the program that Node, Bun and Deno run (tests/sdk/runtimes/program.mjs) in Chromium', async () => {
  const source = (await readFile(programPath, 'utf8')).replace(
    'export async function program',
    'async function program',
  );
  const seen = await page.evaluate(
    `(async () => { ${source}\n return program(window.CartritaSDK, location.origin, undefined); })()`,
  );
  expectProgramResult(seen as Parameters<typeof expectProgramResult>[0], null);
}, 60_000);
