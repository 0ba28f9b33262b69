import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  it('runs both widgets under its strict CSP with no axe violations', async () => {
    const page = await env.browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    page.on('response', (response) => {
      // Browsers ask for a favicon on their own; the demo page has none.
      if (response.status() >= 400 && !response.url().endsWith('/favicon.ico')) {
        errors.push(`${response.status()} ${response.url()}`);
      }
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
    expect(errors).toEqual([]);
    await page.close();
  });
});
