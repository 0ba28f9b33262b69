import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium, sendMessage, startWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import { openStandInPage, startChatKitStandIn } from './chatkit-stand-in.js';
import {
  axeViolations,
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  serverThread,
  waitForIdle,
  widgetState,
} from './e2e-helpers.js';

let env: WidgetEnv;
let browser: Browser;
beforeAll(async () => {
  vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
  env = await startWidgetEnv({ DEMO_PACE_MS: '1' });
  browser = await launchChromium();
}, 60_000);
afterAll(() => browser?.close());
afterAll(() => env?.close());

const host = 'cartrita-chat';
const card = `${host} [data-item-type="widget"] [part~="widget-card"]`;
const list = `${host} [data-item-type="widget"] [part~="widget-list"]`;

/** Sends `/widgets` and waits for both of its widgets to render. */
const openCatalogue = async () => {
  const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
  await waitForReady(page);
  const lazyBefore = await page.evaluate(() =>
    performance.getEntriesByType('resource').some((entry) => entry.name.endsWith('cartrita-chat.widgets.js')),
  );
  expect(lazyBefore).toBe(false);
  await sendMessage(page, '/widgets');
  await page.locator(card).waitFor();
  await page.locator(list).waitFor();
  await waitForIdle(page);
  return page;
};

describe('widgets: the whole ChatKit catalogue', () => {
  it('renders every component, loading the catalogue only when a widget arrives', async () => {
    const page = await openCatalogue();
    const lazy = await page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => entry.name.endsWith('cartrita-chat.widgets.js')).length,
    );
    expect(lazy).toBe(1);
    const c = page.locator(card);
    expect(await c.locator('.w-title').textContent()).toBe('Book a table');
    expect(await c.locator('.caption').allTextContents()).toEqual([
      'Every widget component',
      'A card with one of every component',
      'The restaurant',
    ]);
    expect(await c.locator('.w-badge').textContent()).toBe('New');
    expect(await c.locator('.w-icon').getAttribute('data-icon')).toBe('calendar');
    expect(await c.locator('.w-spacer').count()).toBe(1);
    expect(await c.locator('.w-divider').count()).toBe(1);
    expect(await c.locator('.w-label').allTextContents()).toEqual(['Your name', 'Notes', 'Guests', 'Date']);
    const name = c.locator('input[name="guest.name"]');
    expect(await name.getAttribute('aria-label')).toBe('Your name');
    expect(await name.getAttribute('placeholder')).toBe('Ada Lovelace');
    expect(await c.locator('textarea[name="notes"]').inputValue()).toBe('A window seat');
    expect(await c.locator('select[name="guests"]').inputValue()).toBe('2');
    expect(await c.locator('select[name="guests"] option').allTextContents()).toEqual(['One', 'Two', 'Four']);
    expect(await c.locator('input[type="date"][name="date"]').inputValue()).toBe('2026-12-24');
    expect(await c.locator('input[type="checkbox"][name="terrace"]').isChecked()).toBe(false);
    expect(await c.locator('[role="radiogroup"] input[type="radio"]').count()).toBe(2);
    expect(await c.locator('input[type="radio"][value="evening"]').isChecked()).toBe(true);
    expect(await c.locator('.md strong').textContent()).toBe('euros');
    expect(await c.locator('.w-table td').first().textContent()).toBe('Menu');
    expect(await c.locator('[part~="widget-chart"] th[scope="col"]').allTextContents()).toEqual([
      'day',
      'Tables booked',
    ]);
    expect(await c.locator('.w-transition').textContent()).toContain('Nothing sent yet.');
    expect((await c.locator('[part~="widget-cancel"]').textContent())?.trim()).toBe('Not now');
    expect((await c.locator('[part~="widget-confirm"]').textContent())?.trim()).toBe('Book');
    // A style prop reaches the page: the card's size.
    expect(await c.evaluate((el) => getComputedStyle(el).maxInlineSize)).toBe('448px');
    expect(await page.locator(`${host} [part~="widget-unknown"]`).count()).toBe(0);
    expect(await recordedEvents(page, 'cartrita-error')).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('sends the values of an asForm card with its confirm action, after the browser checks them', async () => {
    const page = await openCatalogue();
    const calls = recordChatKitCalls(page);
    const c = page.locator(card);
    // The name is required: nothing is sent without it.
    await c.locator('[part~="widget-confirm"]').click();
    expect(calls.map((call) => call.type)).toEqual([]);
    await c.locator('input[name="guest.name"]').fill('Ada');
    await c.locator('textarea[name="notes"]').fill('Quiet, please');
    await c.locator('select[name="guests"]').selectOption('4');
    await c.locator('input[name="date"]').fill('2026-12-31');
    await c.locator('input[name="terrace"]').check();
    await c.locator('input[type="radio"][value="noon"]').check();
    await c.locator('[part~="widget-confirm"]').click();
    const payload = {
      form: 'booking',
      guest: { name: 'Ada' },
      notes: 'Quiet, please',
      guests: '4',
      date: '2026-12-31',
      terrace: true,
      time: 'noon',
    };
    await expect.poll(() => calls.map((call) => call.type)).toEqual(['threads.custom_action']);
    expect(calls[0]?.params.action).toEqual({ type: 'demo.submit', payload });
    await expect
      .poll(() => c.locator('.w-transition').textContent())
      .toContain(`Received: ${JSON.stringify(payload)}`);
    // The server kept the answer on its copy of the widget.
    const { secret, threadId } = await widgetState(page);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    expect(JSON.stringify(thread.items.data.find((item) => item.type === 'widget'))).toContain(
      JSON.stringify(`Received: ${JSON.stringify(payload)}`).slice(1, -1),
    );
    // The cancel button sends its own action, with the values too.
    await waitForIdle(page);
    await c.locator('[part~="widget-cancel"]').click();
    await expect.poll(() => calls.length).toBe(2);
    expect(calls[1]?.params.action).toEqual({
      type: 'demo.submit',
      payload: { ...payload, form: 'cancelled' },
    });
  });

  it('shows a list up to its limit, then all of it, and sends a clicked item’s action', async () => {
    const page = await openCatalogue();
    const calls = recordChatKitCalls(page);
    const l = page.locator(list);
    expect(await l.locator('[part~="widget-list-item"]').count()).toBe(3);
    await page.locator(`${host} [part~="widget-more"]`).click();
    expect(await l.locator('[part~="widget-list-item"]').count()).toBe(4);
    expect(await page.locator(`${host} [part~="widget-more"]`).count()).toBe(0);
    await l.locator('[role="button"]', { hasText: 'green' }).click();
    await expect.poll(() => l.locator('.w-text').first().textContent()).toBe('You chose green.');
    expect(calls[0]?.params.action).toEqual({ type: 'demo.choose', payload: { colour: 'green' } });
    await waitForIdle(page);
    await l.locator('[role="button"]', { hasText: 'blue' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => l.locator('.w-text').first().textContent()).toBe('You chose blue.');
  });

  it('shows a visible placeholder for a component it does not know, and fires cartrita-error', async () => {
    const standIn = await startChatKitStandIn({
      widgets: () => [
        {
          type: 'Card',
          children: [
            { type: 'Text', value: 'Before' },
            { type: 'Carousel', items: [1, 2] },
            { type: 'Text', value: 'After' },
          ],
        },
      ],
    });
    try {
      const page = await openStandInPage(browser, standIn, `${recordEvents}<cartrita-chat></cartrita-chat>`);
      await page.locator(`${host} [part~="panel"][data-connection="ready"]`).waitFor({ state: 'attached' });
      await sendMessage(page, 'A carousel, please');
      const unknown = page.locator(`${host} [part~="widget-unknown"]`);
      await unknown.waitFor();
      expect(await unknown.textContent()).toContain('Carousel');
      expect(await unknown.isVisible()).toBe(true);
      expect(await page.locator(`${host} [part~="widget-card"] .w-text`).allTextContents()).toEqual([
        'Before',
        'After',
      ]);
      const errors = await recordedEvents(page, 'cartrita-error');
      expect(errors.map((event) => event.detail?.message)).toEqual([
        'This part of the answer cannot be shown (Carousel).',
      ]);
    } finally {
      await standIn.close();
    }
  });
});
