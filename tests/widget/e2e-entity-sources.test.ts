import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import { recordEvents, recordedEvents, waitForIdle } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
const withEntities = `<cartrita-chat></cartrita-chat>
<script>
  window.__clicked = [];
  window.__previewed = [];
  document.querySelector('cartrita-chat').options = {
    entities: {
      onClick: (entity) => window.__clicked.push({ id: entity.id, title: entity.title, data: entity.data }),
      onRequestPreview: async (entity) => {
        window.__previewed.push(entity.id);
        return {
          preview: {
            type: 'Basic',
            children: [{ type: 'Text', value: 'Preview of ' + entity.title + ': ' + entity.data.status }],
          },
        };
      },
    },
  };
</script>`;

type Page = Awaited<ReturnType<WidgetEnv['open']>>;
const windowValue = (page: Page, name: string) =>
  page.evaluate((key) => (window as unknown as Record<string, unknown>)[key], name);

describe('entity and citation sources', () => {
  it('links URL sources, and makes entity sources clickable with a preview the page supplies on hover', async () => {
    const page = await env.open(withEntities);
    await waitForReady(page);
    await sendMessage(page, '/sources');
    await waitForIdle(page);
    const sources = lastReply(page).locator('[part~="sources"]');
    await sources.locator('summary').click();
    expect((await sources.locator('summary').textContent())?.trim()).toBe('Sources (4)');
    const link = sources.locator('[part~="source-link"]');
    expect(await link.getAttribute('href')).toBe('https://example.com/docs/orders');
    expect(await link.getAttribute('target')).toBe('_blank');
    expect((await sources.locator('li').nth(1).textContent())?.trim()).toBe('orders.csv');
    // An entity source that is not interactive is its title only.
    expect(await sources.locator('li').nth(3).locator('button').count()).toBe(0);
    expect((await sources.locator('li').nth(3).textContent())?.trim()).toBe('Operations team');
    const entity = sources.locator('button[part~="source-entity"]');
    expect((await entity.textContent())?.trim()).toBe('Order 42');
    await entity.hover();
    const preview = sources.locator('[part~="entity-preview"]');
    await expect.poll(async () => (await preview.textContent())?.trim()).toBe('Preview of Order 42: shipped');
    expect(await preview.getAttribute('role')).toBe('tooltip');
    expect(await windowValue(page, '__previewed')).toEqual(['order_42']);
    await entity.click();
    expect(await windowValue(page, '__clicked')).toEqual([
      { id: 'order_42', title: 'Order 42', data: { status: 'shipped' } },
    ]);
    // Leaving the entity hides the preview; focusing it again shows the answer already given.
    const input = page.locator(`${host} [part~="input"]`);
    await input.hover();
    await input.focus();
    await expect.poll(() => preview.count()).toBe(0);
    await entity.focus();
    await expect.poll(async () => (await preview.textContent())?.trim()).toBe('Preview of Order 42: shipped');
    expect(await windowValue(page, '__previewed')).toEqual(['order_42']);
  });

  it('reports a preview callback that fails as cartrita-error, and shows no preview', async () => {
    const failing = `<cartrita-chat></cartrita-chat>
<script>
  document.querySelector('cartrita-chat').options = {
    entities: { onRequestPreview: async () => { throw new Error('No preview today'); } },
  };
</script>`;
    const page = await env.open(failing, { head: recordEvents });
    await waitForReady(page);
    await sendMessage(page, '/sources');
    await waitForIdle(page);
    const sources = lastReply(page).locator('[part~="sources"]');
    await sources.locator('summary').click();
    await sources.locator('button[part~="source-entity"]').hover();
    await expect
      .poll(async () => (await recordedEvents(page, 'cartrita-error')).map((event) => event.detail))
      .toEqual([{ error: 'No preview today', message: 'Error: No preview today' }]);
    expect(await sources.locator('[part~="entity-preview"]').count()).toBe(0);
  });

  it('shows entity sources as text when the page handles no entities', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    await sendMessage(page, '/sources');
    await waitForIdle(page);
    const sources = lastReply(page).locator('[part~="sources"]');
    await sources.locator('summary').click();
    expect(await sources.locator('button').count()).toBe(0);
    expect(
      (await sources.locator('[part~="source-entity"]').allTextContents()).map((text) => text.trim()),
    ).toEqual(['Order 42', 'Operations team']);
  });
});

describe('deep links', () => {
  it('fires cartrita-deeplink with the name and data of a chatkit-link:// link, and never navigates', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
    await waitForReady(page);
    const before = page.url();
    await sendMessage(page, '/sources');
    await waitForIdle(page);
    const link = lastReply(page).locator('[part~="md-deeplink"]');
    expect((await link.textContent())?.trim()).toBe('Open order 42');
    expect(await link.evaluate((element) => element.tagName)).toBe('BUTTON');
    await link.click();
    await expect
      .poll(async () => (await recordedEvents(page, 'cartrita-deeplink')).map((event) => event.detail))
      .toEqual([{ name: 'orders/open', data: { id: '42', tab: 'items' } }]);
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await recordedEvents(page, 'cartrita-deeplink')).length).toBe(2);
    expect(page.url()).toBe(before);
    expect(await recordedEvents(page, 'cartrita-error')).toEqual([]);
  });
});
