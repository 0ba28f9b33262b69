import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { lastReply, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import {
  axeViolations,
  freePort,
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  serverThread,
  widgetState,
} from './e2e-helpers.js';

// The page comes from this server; the widget talks to a second one that comes and goes.
const env = useWidgetEnv();

const host = 'cartrita-chat';

/**
 * The widget's API is on another loopback origin than the page, which Chromium's Local Network Access
 * checks treat as a permission the user grants.
 */
const crossOrigin = { permissions: ['local-network-access'] };

/** A server on a fixed port and data directory, so that a restart keeps its threads and secrets. */
const serverAt = (port: number, dataDir: string, pace = '0'): Promise<TestServer> =>
  startTestServer({
    env: { API_PORT: String(port), DATA_DIR: dataDir, CORS_ORIGINS: '*', DEMO_PACE_MS: pace },
  });

describe('when the server is down', () => {
  it('shows the connection error with a Retry button, and connects once the server is up', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-widget-recovery-'));
    let server: TestServer | undefined;
    try {
      const page = await env.open(`<cartrita-chat api-url="http://127.0.0.1:${port}"></cartrita-chat>`, {
        head: recordEvents,
        context: crossOrigin,
      });
      // The session request is retried with backoff before the widget gives up.
      const alert = page.locator(`${host} [part~="error"][role="alert"]`);
      await alert.waitFor({ timeout: 15_000 });
      expect(await alert.textContent()).toContain('The chat service could not be reached.');
      expect(await page.locator(`${host} [part~="panel"]`).getAttribute('data-connection')).toBe('error');
      expect(await page.locator(`${host} [part~="send-button"]`).isDisabled()).toBe(true);
      expect((await recordedEvents(page, 'cartrita-error')).length).toBe(1);
      expect(await axeViolations(page)).toEqual([]);

      server = await serverAt(port, dataDir);
      await page.locator(`${host} [part~="retry-button"]`).click();
      await waitForReady(page);
      expect(await alert.count()).toBe(0);
      await sendMessage(page, 'Are you there?');
      await lastReply(page).waitFor();
      expect(await lastReply(page).textContent()).toContain('Are you there?');
      expect(await recordedEvents(page, 'cartrita-ready')).toHaveLength(1);
    } finally {
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('offers Retry for a message the stopped server never got, and sends it when the server is back', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-widget-recovery-'));
    let server: TestServer | undefined = await serverAt(port, dataDir);
    try {
      const page = await env.open(`<cartrita-chat api-url="http://127.0.0.1:${port}"></cartrita-chat>`, {
        context: crossOrigin,
      });
      await waitForReady(page);
      await sendMessage(page, 'First, while the server is up');
      await lastReply(page).waitFor();
      const { threadId } = await widgetState(page);

      await server.close();
      server = undefined;
      const calls = recordChatKitCalls(page);
      await sendMessage(page, 'Second, while it is down');
      const alert = page.locator(`${host} [part~="error"][role="alert"]`);
      await alert.waitFor({ timeout: 15_000 });
      // The message stays on screen, waiting to be sent again.
      await expect
        .poll(() =>
          page.locator(`${host} [data-item-type="user_message"] [part~="bubble"]`).allTextContents(),
        )
        .toEqual(['First, while the server is up', 'Second, while it is down']);
      expect(await page.locator(`${host} [part~="panel"]`).getAttribute('data-busy')).toBe('false');
      expect(await axeViolations(page)).toEqual([]);

      server = await serverAt(port, dataDir);
      await page.locator(`${host} [part~="retry-button"]`).click();
      await expect.poll(() => page.locator(`${host} [data-item-type="assistant_message"]`).count()).toBe(2);
      await lastReply(page).waitFor();
      expect(await lastReply(page).textContent()).toContain('Second, while it is down');
      expect(await alert.count()).toBe(0);
      // The same thread carries on, and it holds each message once.
      const state = await widgetState(page);
      expect(state.threadId).toBe(threadId);
      const saved = await serverThread(server.url, state.secret, threadId!);
      expect(saved.items.data.map((item) => item.type)).toEqual([
        'user_message',
        'assistant_message',
        'user_message',
        'assistant_message',
      ]);
      expect(calls.every((call) => call.type === 'threads.add_user_message')).toBe(true);
    } finally {
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('offers Retry when the server goes down in the middle of a reply, and answers again once it is back', async () => {
    const port = await freePort();
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-widget-recovery-'));
    // Slow enough to be cut off in the middle of the reply.
    let server: TestServer | undefined = await serverAt(port, dataDir, '5');
    try {
      const page = await env.open(`<cartrita-chat api-url="http://127.0.0.1:${port}"></cartrita-chat>`, {
        head: recordEvents,
        context: crossOrigin,
      });
      await waitForReady(page);
      await sendMessage(page, '/slow');
      const streaming = page.locator(`${host} [data-item-type="assistant_message"][data-status="streaming"]`);
      await streaming.waitFor();
      await expect.poll(async () => (await streaming.textContent())?.length ?? 0).toBeGreaterThan(5);
      const cut = (await widgetState(page)).items.find((item) => item.type === 'assistant_message')!.id;
      await server.close();
      server = undefined;

      const alert = page.locator(`${host} [part~="error"][role="alert"]`);
      await alert.waitFor({ timeout: 15_000 });
      expect((await recordedEvents(page, 'cartrita-response-end')).at(-1)?.detail).toMatchObject({
        error: true,
      });
      expect(await page.locator(`${host} [part~="panel"]`).getAttribute('data-busy')).toBe('false');
      // The partial reply stays, marked incomplete: it can be copied, not rated.
      const partial = page.locator(`${host} [data-item-id="${cut}"]`);
      expect(await partial.getAttribute('data-status')).toBe('incomplete');
      expect(((await partial.locator('[part~="markdown"]').textContent()) ?? '').length).toBeGreaterThan(5);
      expect(await partial.locator('[part~="incomplete"]').textContent()).toBe('Incomplete');
      expect(await partial.getByRole('button', { name: 'Copy' }).count()).toBe(1);
      expect(await partial.getByRole('button', { name: 'Good response' }).count()).toBe(0);

      server = await serverAt(port, dataDir);
      const calls = recordChatKitCalls(page);
      await page.locator(`${host} [part~="retry-button"]`).click();
      // The server has the message: it is answered again, not sent twice.
      await expect
        .poll(async () => (await widgetState(page)).items.map((item) => item.id))
        .not.toContain(cut);
      await lastReply(page).waitFor();
      await expect
        .poll(() => page.locator(`${host} [part~="panel"]`).getAttribute('data-busy'))
        .toBe('false');
      expect(calls.map((call) => call.type)).toEqual(['threads.retry_after_item']);
      expect(await alert.count()).toBe(0);
      const state = await widgetState(page);
      expect(state.items.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
      const saved = await serverThread(server.url, state.secret, state.threadId!);
      expect(saved.items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    } finally {
      await server?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
