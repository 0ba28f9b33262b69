import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lastReply, startWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import { chatkit, recordChatKitCalls, serverThread, waitForIdle, widgetState } from './e2e-helpers.js';

let env: WidgetEnv;
let site: Server;
let siteUrl = '';
/** The client secret of the page's session, which the site's backend uploads with. */
let secret = '';
const received: string[] = [];

/**
 * A site's own direct-upload endpoint: it takes the multipart `file` in one request and stores it on
 * the Cartrita server for the page's session (two-phase there), answering with the attachment.
 */
const startSite = async () => {
  site = createServer(async (req, res) => {
    res.setHeader('access-control-allow-origin', env.server.url);
    if (req.method === 'OPTIONS') return void res.end();
    const form = await new Request('http://site.test/', {
      method: 'POST',
      headers: req.headers as Record<string, string>,
      body: Readable.toWeb(req) as unknown as BodyInit,
      duplex: 'half',
    } as RequestInit).formData();
    const file = form.get('file') as File;
    received.push(file.name);
    const created = await chatkit<{ id: string; upload_descriptor: { url: string } }>(
      env.server.url,
      secret,
      'attachments.create',
      { name: file.name, size: file.size, mime_type: file.type },
    );
    const body = new FormData();
    body.append('file', file, file.name);
    const stored = await fetch(created.body.upload_descriptor.url, { method: 'POST', body });
    const answer = await stored.text();
    res.writeHead(stored.status, { 'content-type': 'application/json' });
    res.end(answer);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
  env = await startWidgetEnv({ DEMO_PACE_MS: '1' });
  await startSite();
}, 60_000);
afterAll(() => new Promise((resolve) => site?.close(resolve)));
afterAll(() => env?.close());

const host = 'cartrita-chat';

describe('uploads', () => {
  it('uploads directly to the site in one request, and refuses by per-type size limits', async () => {
    const page = await env.open(
      `<cartrita-chat></cartrita-chat>
<script>
  document.querySelector('cartrita-chat').options = {
    attachments: { uploadUrl: ${JSON.stringify(`${siteUrl}/upload`)}, maxBytes: { 'image/*': 10, 'text/*': 1000 } },
  };
</script>`,
      // The site is another loopback origin: Chromium's Local Network Access asks for a permission.
      { context: { permissions: ['local-network-access'] } },
    );
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    // The site's backend stores files for the page's session.
    secret = (await widgetState(page)).secret;
    await page.locator(`${host} input[type="file"]`).setInputFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Meeting notes') },
      { name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not really a 10-byte png') },
    ]);
    expect(await page.locator(`${host} [part~="composer"] p[role="alert"]`).textContent()).toContain(
      'photo.png is larger than 1 KB',
    );
    await page.locator(`${host} [part~="attachment"][data-status="done"]`).waitFor();
    expect(received).toEqual(['notes.txt']);
    // The widget made no attachments.create of its own: the site did.
    expect(calls.map((c) => c.type)).toEqual([]);
    await page.locator(`${host} [part~="input"]`).fill('Summarise the notes');
    await page.locator(`${host} [part~="input"]`).press('Enter');
    await lastReply(page).waitFor();
    await waitForIdle(page);
    const { threadId } = await widgetState(page);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    const user = thread.items.data.find((item) => item.type === 'user_message');
    expect(user?.attachments?.map((a) => a.name)).toEqual(['notes.txt']);
  });
});
