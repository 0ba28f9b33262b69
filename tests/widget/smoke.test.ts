import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { lastReply, sendMessage, startWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';

const axePath = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

let env: WidgetEnv;
beforeAll(async () => {
  env = await startWidgetEnv();
}, 60_000);
afterAll(() => env?.close());

describe('the widget in Chromium', () => {
  it('bootstraps, sends a message and renders the streamed reply', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    await sendMessage(page, 'Hello from Chromium');

    const user = page.locator('cartrita-chat [data-item-type="user_message"] [part~="bubble"]');
    await expect.poll(() => user.textContent()).toBe('Hello from Chromium');
    const reply = lastReply(page);
    await reply.waitFor();
    expect(await reply.locator('[part~="markdown"]').textContent()).toContain('Hello from Chromium');
    // Markdown became elements (a list), not text with asterisks.
    expect(await reply.locator('[part~="markdown"] li').count()).toBeGreaterThan(0);
    // The reply is announced once it is done, through the polite live region.
    const announcer = page.locator('cartrita-chat [data-announcer]');
    await expect.poll(() => announcer.textContent()).toContain('Hello from Chromium');
    expect(page.errors).toEqual([]);
  });
});

describe('the demo page in Chromium', () => {
  it('runs both widgets under its strict CSP with no console errors, no failed requests and no axe violations', async () => {
    // What the server answered, including what the browser fetches on its own (the page's icon),
    // which the page's own request events do not show.
    const served: string[] = [];
    const onRequest = (req: IncomingMessage, res: ServerResponse) =>
      res.once('finish', () => served.push(`${res.statusCode} ${req.method} ${req.url}`));
    env.server.running.server.on('request', onRequest);
    onTestFinished(() => {
      env.server.running.server.off('request', onRequest);
    });
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console: ${message.text()} at ${message.location().url}`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${String(error)}`));
    page.on('requestfailed', (request) =>
      errors.push(`failed: ${request.url()} (${request.failure()?.errorText})`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${env.server.url}/`);
    await waitForReady(page, '#inline');
    await waitForReady(page, '#launcher');
    await sendMessage(page, '/markdown', '#inline');
    await lastReply(page, '#inline').waitFor();
    await page.locator('#launcher [part~="launcher"]').click();
    // Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(readFileSync(axePath, 'utf8'));
    const results = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (context: unknown) => Promise<{ violations: Array<{ id: string; nodes: unknown[] }> }>;
          };
        }
      ).axe;
      const { violations } = await axe.run(document);
      return violations.map(
        (v) =>
          `${v.id}: ${(v.nodes as Array<{ target: unknown; failureSummary?: string }>).map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join(' | ')}`,
      );
    });
    expect(results).toEqual([]);
    // The icon the page declares was fetched, so a failed icon would have been logged by now.
    await expect.poll(() => served).toContain('200 GET /favicon.svg');
    expect(served.filter((line) => !/^[23]\d\d /.test(line))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
