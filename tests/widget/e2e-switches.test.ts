import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import { axeViolations, waitForIdle } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
const page = (options: string) => `<cartrita-chat></cartrita-chat>
<script>
  window.__clicks = 0;
  document.querySelector('cartrita-chat').options = ${options};
</script>`;

describe('option switches', () => {
  it('shows the thread title, custom header buttons, a disclaimer and compact spacing; hides what is switched off', async () => {
    const p = await env.open(
      page(`{
        header: { threadTitle: true, buttons: [{ label: 'Help', icon: 'chat', onClick: () => window.__clicks++ }, { label: 'Docs', onClick: () => {} }] },
        history: { rename: false },
        threadItemActions: { feedback: false },
        disclaimer: { text: 'Answers may be **wrong**.' },
        density: 'compact',
      }`),
    );
    await waitForReady(p);
    const custom = p.locator(`${host} [part~="custom-button"]`);
    expect(await custom.evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')))).toEqual([
      'Help',
      'Docs',
    ]);
    expect(await custom.nth(1).textContent()).toContain('Docs');
    await custom.first().click();
    expect(await p.evaluate(() => (window as unknown as { __clicks: number }).__clicks)).toBe(1);
    expect(await p.locator(`${host} [part~="disclaimer"] strong`).textContent()).toBe('wrong');
    expect(
      await p.locator(`${host} [part~="messages"]`).evaluate((log) => getComputedStyle(log).rowGap),
    ).toBe('5.6px');
    expect(await p.locator(`${host} [part~="title"]`).textContent()).toBe('Chat');
    await sendMessage(p, 'Tell me about tides');
    await lastReply(p).waitFor();
    await waitForIdle(p);
    // The thread's title, once the server gave it one.
    await expect.poll(() => p.locator(`${host} [part~="title"]`).textContent()).not.toBe('Chat');
    const reply = lastReply(p);
    const labels = await reply
      .locator('[part~="action-button"]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(labels).toEqual(['Copy', 'Retry']);
    await p.locator(`${host} [part~="header-button"][aria-label="Conversations"]`).click();
    await p.locator(`${host} [part~="history-item"]`).first().waitFor();
    const historyButtons = await p
      .locator(`${host} [part~="history-button"]`)
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')?.split(':')[0]));
    expect(historyButtons).toEqual(['Delete']);
    expect(await axeViolations(p)).toEqual([]);
  });

  it('hides the header and the retry action', async () => {
    const p = await env.open(page(`{ header: false, threadItemActions: { retry: false } }`));
    await waitForReady(p);
    expect(await p.locator(`${host} [part~="header"]`).count()).toBe(0);
    await sendMessage(p, 'Hello');
    await lastReply(p).waitFor();
    await waitForIdle(p);
    const labels = await lastReply(p)
      .locator('[part~="action-button"]')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label')));
    expect(labels).toEqual(['Copy', 'Good response', 'Bad response']);
  });

  it('speaks a lazily loaded right-to-left language: Hebrew', async () => {
    const p = await env.open('<cartrita-chat></cartrita-chat>', { lang: 'he' });
    await waitForReady(p);
    const root = p.locator(`${host} .root`);
    await expect.poll(() => root.getAttribute('dir')).toBe('rtl');
    expect(await root.getAttribute('lang')).toBe('he');
    expect(await p.locator(`${host} [part~="greeting"]`).textContent()).toBe('איך אפשר לעזור היום?');
    expect(await p.locator(`${host} [part~="input"]`).getAttribute('placeholder')).toBe('כתבו הודעה');
    const loaded = await p.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name.split('/').at(-1))
        .filter((name) => name?.startsWith('cartrita-chat.locale-')),
    );
    expect(loaded).toEqual(['cartrita-chat.locale-he.js']);
  });
});
