import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, type WidgetPage, waitForReady } from './browser.js';
import {
  axeViolations,
  chatkit,
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  widgetState,
} from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '0' });

const host = 'cartrita-chat';

/** Opens a widget and holds two conversations in it, the newest shown. */
const twoThreads = async (): Promise<{ page: WidgetPage; first: string; second: string }> => {
  const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
  await waitForReady(page);
  await sendMessage(page, 'Apples');
  await lastReply(page).waitFor();
  const first = (await widgetState(page)).threadId!;
  await page.locator(`${host} [part~="header-button"][aria-label="New conversation"]`).click();
  await page.locator(`${host} [part~="start"]`).waitFor();
  await sendMessage(page, 'Bananas');
  await lastReply(page).waitFor();
  const second = (await widgetState(page)).threadId!;
  return { page, first, second };
};

const openHistory = async (page: WidgetPage) => {
  const toggle = page.locator(`${host} [part~="header-button"][aria-label="Conversations"]`);
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  const rows = page.locator(`${host} [part~="history-item"]`);
  await rows.first().waitFor();
  return rows;
};

const titles = async (page: WidgetPage) =>
  (await page.locator(`${host} [part~="history-item"] > button:not([part])`).allTextContents()).map((t) =>
    t.trim(),
  );

const serverTitles = async (page: WidgetPage) => {
  const { secret } = await widgetState(page);
  const { body } = await chatkit<{ data: Array<{ id: string; title?: string }> }>(
    env.server.url,
    secret,
    'threads.list',
    { order: 'desc' },
  );
  return body.data.map((thread) => thread.title);
};

describe('thread history', () => {
  it('lists the threads newest first and marks the current one', async () => {
    const { page, second } = await twoThreads();
    const rows = await openHistory(page);
    await expect.poll(() => titles(page)).toEqual(['Bananas', 'Apples']);
    expect(await rows.first().getAttribute('data-thread-id')).toBe(second);
    expect(await rows.first().locator('> button:not([part])').getAttribute('aria-current')).toBe('true');
    expect(await rows.nth(1).locator('> button:not([part])').getAttribute('aria-current')).toBe('false');
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('switches to another thread and shows its messages', async () => {
    const { page, first } = await twoThreads();
    const calls = recordChatKitCalls(page);
    const rows = await openHistory(page);
    await rows.nth(1).locator('> button:not([part])').click();
    await expect
      .poll(() => page.locator(`${host} [data-item-type="user_message"] [part~="bubble"]`).allTextContents())
      .toEqual(['Apples']);
    expect(await lastReply(page).textContent()).toContain('Apples');
    expect((await widgetState(page)).threadId).toBe(first);
    expect(calls.map((call) => call.type)).toContain('threads.get_by_id');
    const changes = await recordedEvents(page, 'cartrita-thread-change');
    expect(changes.at(-1)?.detail).toEqual({ threadId: first });
    await expect
      .poll(() => rows.nth(1).locator('> button:not([part])').getAttribute('aria-current'))
      .toBe('true');
    // Carrying on in the old thread adds to it.
    await sendMessage(page, 'More apples');
    await expect.poll(() => page.locator(`${host} [data-item-type="user_message"]`).count()).toBe(2);
    await expect.poll(() => calls.map((call) => call.type)).toContain('threads.add_user_message');
    expect(page.errors).toEqual([]);
  });

  it('renames a thread from the list, on the server too', async () => {
    const { page, first } = await twoThreads();
    const rows = await openHistory(page);
    await rows.nth(1).locator('[part~="history-button"][aria-label="Rename: Apples"]').click();
    const input = page.locator(`${host} [part~="history"] input[name="title"]`);
    await expect.poll(() => input.evaluate((node) => node.matches(':focus'))).toBe(true);
    expect(await input.inputValue()).toBe('Apples');
    await input.fill('Fruit, mostly apples');
    await input.press('Enter');
    await expect.poll(() => titles(page)).toEqual(['Bananas', 'Fruit, mostly apples']);
    expect(await serverTitles(page)).toEqual(['Bananas', 'Fruit, mostly apples']);
    expect(await rows.nth(1).getAttribute('data-thread-id')).toBe(first);
    expect(await axeViolations(page)).toEqual([]);

    // Cancel keeps the old title.
    await rows.first().locator('[part~="history-button"][aria-label="Rename: Bananas"]').click();
    await input.fill('Not this');
    await page.locator(`${host} [part~="history"] button:text("Cancel")`).click();
    await expect.poll(() => titles(page)).toEqual(['Bananas', 'Fruit, mostly apples']);
    expect(page.errors).toEqual([]);
  });

  it('deletes a thread; deleting the one shown starts a new conversation', async () => {
    const { page, first, second } = await twoThreads();
    const rows = await openHistory(page);
    await rows.nth(1).locator('[part~="history-button"][aria-label="Delete: Apples"]').click();
    await expect.poll(() => titles(page)).toEqual(['Bananas']);
    expect(await serverTitles(page)).toEqual(['Bananas']);
    const { secret } = await widgetState(page);
    expect((await chatkit(env.server.url, secret, 'threads.get_by_id', { thread_id: first })).status).toBe(
      404,
    );
    // The shown thread stays while another is deleted.
    expect((await widgetState(page)).threadId).toBe(second);

    await rows.first().locator('[part~="history-button"][aria-label="Delete: Bananas"]').click();
    await expect.poll(() => rows.count()).toBe(0);
    await page.locator(`${host} [part~="start"]`).waitFor();
    expect((await widgetState(page)).threadId).toBeUndefined();
    expect((await recordedEvents(page, 'cartrita-thread-change')).at(-1)?.detail).toEqual({ threadId: null });
    expect(await serverTitles(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('starts a new thread from the header, and the next message creates it', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
    await waitForReady(page);
    const newThread = page.locator(`${host} [part~="header-button"][aria-label="New conversation"]`);
    // Nothing to leave yet.
    expect(await newThread.isDisabled()).toBe(true);
    await sendMessage(page, 'Cherries');
    await lastReply(page).waitFor();
    const first = (await widgetState(page)).threadId;
    const calls = recordChatKitCalls(page);
    await newThread.click();
    await page.locator(`${host} [part~="start"]`).waitFor();
    expect(await page.locator(`${host} [data-item-type]`).count()).toBe(0);
    // Focus goes to the message box, ready for the next conversation.
    await expect
      .poll(() => page.locator(`${host} [part~="input"]`).evaluate((node) => node.matches(':focus')))
      .toBe(true);
    expect((await recordedEvents(page, 'cartrita-thread-change')).at(-1)?.detail).toEqual({ threadId: null });
    await sendMessage(page, 'Dates');
    await lastReply(page).waitFor();
    expect(calls.map((call) => call.type)).toEqual(['threads.create']);
    const second = (await widgetState(page)).threadId;
    expect(second).not.toBe(first);
    expect(await serverTitles(page)).toEqual(['Dates', 'Cherries']);
    expect(page.errors).toEqual([]);
  });

  it('shows a thread opened after the history was loaded at the top of the list', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    await page.locator(`${host} [part~="header-button"][aria-label="Conversations"]`).click();
    await page.locator(`${host} [part~="history"][aria-busy="false"]`).waitFor();
    expect(await page.locator(`${host} [part~="history-item"]`).count()).toBe(0);
    await sendMessage(page, 'Elderberries');
    await lastReply(page).waitFor();
    await expect.poll(() => titles(page)).toEqual(['Elderberries']);
    expect(page.errors).toEqual([]);
  });
});
