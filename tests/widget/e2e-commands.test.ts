import { describe, expect, it } from 'vitest';
import { useWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import { axeViolations, recordChatKitCalls } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
const page = `<cartrita-chat></cartrita-chat>
<script>
  document.querySelector('cartrita-chat').options = {
    commands: [
      { name: 'summarise', description: 'Summarise the thread' },
      { name: 'search', description: 'Search the docs' },
      { name: 'translate' },
    ],
  };
</script>`;

const loadedMenu = (p: Awaited<ReturnType<WidgetEnv['open']>>) =>
  p.evaluate(
    () =>
      performance.getEntriesByType('resource').filter((e) => e.name.endsWith('cartrita-chat.commands.js'))
        .length,
  );

describe('the "/" commands menu', () => {
  it('loads on the first "/", filters as the user types, and puts the picked command in the composer', async () => {
    const p = await env.open(page);
    const calls = recordChatKitCalls(p);
    await waitForReady(p);
    expect(await loadedMenu(p)).toBe(0);
    const input = p.locator(`${host} [part~="input"]`);
    await input.pressSequentially('/s');
    const options = p.locator(`${host} [part~="commands"] [role="option"]`);
    await expect
      .poll(async () => (await options.allTextContents()).map((text) => text.trim()))
      .toEqual(['/summarise Summarise the thread', '/search Search the docs']);
    expect(await loadedMenu(p)).toBe(1);
    expect(await options.first().getAttribute('aria-selected')).toBe('true');
    expect(await axeViolations(p)).toEqual([]);
    await input.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    await input.press('Enter');
    expect(await input.inputValue()).toBe('/search ');
    expect(await p.locator(`${host} [part~="commands"]`).count()).toBe(0);
    expect(calls).toEqual([]);
  });

  it('closes on Escape without closing anything else, and picks with the mouse', async () => {
    const p = await env.open(page);
    await waitForReady(p);
    const input = p.locator(`${host} [part~="input"]`);
    await input.pressSequentially('/');
    const menu = p.locator(`${host} [part~="commands"]`);
    await menu.waitFor();
    expect(await menu.locator('[role="option"]').count()).toBe(3);
    await input.press('Escape');
    expect(await menu.count()).toBe(0);
    expect(await input.inputValue()).toBe('/');
    await input.pressSequentially('t');
    await menu.waitFor();
    await menu.locator('[role="option"]').first().click();
    expect(await input.inputValue()).toBe('/translate ');
    expect(await menu.count()).toBe(0);
  });
});
