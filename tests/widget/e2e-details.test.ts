import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastReply, launchChromium, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import { openStandInPage, startChatKitStandIn } from './chatkit-stand-in.js';
import { axeViolations, waitForIdle } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '10' });
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(() => browser?.close());
const host = 'cartrita-chat';

describe('accessibility and styling details', () => {
  it('finds no violations with the launcher panel open and a rich reply whose code is wider than the panel', async () => {
    const page = await env.open('<cartrita-chat launcher></cartrita-chat>');
    await waitForReady(page);
    await page.locator(`${host} [part~="launcher"]`).click();
    await sendMessage(page, '/markdown');
    await lastReply(page).waitFor();
    await page.locator(`${host} .hljs-keyword`).first().waitFor();
    await waitForIdle(page);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('names every task-list checkbox, whatever the item holds', async () => {
    const standIn = await startChatKitStandIn({
      replies: () => [
        '- [ ] <img src=x onerror=alert(1)>\n- [x] ![](https://evil.example/a.png)\n- [ ] <br>',
      ],
    });
    try {
      const page = await openStandInPage(browser, standIn, '<cartrita-chat></cartrita-chat>');
      await page.locator(`${host} [part~="panel"][data-connection="ready"]`).waitFor({ state: 'attached' });
      await sendMessage(page, 'A task list, please');
      await lastReply(page).waitFor();
      expect(await lastReply(page).locator('[part~="md-task-checkbox"]').count()).toBe(3);
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it('sizes markdown headings by level: the header title style does not reach replies', async () => {
    const standIn = await startChatKitStandIn({ replies: () => ['# One\n\n## Two\n\n### Three\n\ntext'] });
    try {
      const page = await openStandInPage(browser, standIn, '<cartrita-chat></cartrita-chat>');
      await page.locator(`${host} [part~="panel"][data-connection="ready"]`).waitFor({ state: 'attached' });
      await sendMessage(page, 'Headings, please');
      await lastReply(page).waitFor();
      const styles = await lastReply(page)
        .locator('[part~="markdown"] > *')
        .evaluateAll((nodes) =>
          nodes.map((node) => {
            const style = getComputedStyle(node);
            return { size: Number.parseFloat(style.fontSize), indent: style.marginInlineStart };
          }),
        );
      const [h1, h2, h3, p] = styles;
      expect(h1!.size).toBeGreaterThan(h2!.size);
      expect(h2!.size).toBeGreaterThan(h3!.size);
      expect(h3!.size).toBeGreaterThan(p!.size);
      expect(h2!.indent).toBe(p!.indent);
    } finally {
      await standIn.close();
    }
  });
});
