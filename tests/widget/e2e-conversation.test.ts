import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import {
  axeViolations,
  chatkit,
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  serverThread,
  textOf,
  widgetState,
} from './e2e-helpers.js';

// Slow enough that a reply spans many frames and can be stopped midway.
const env = useWidgetEnv({ DEMO_PACE_MS: '10' });

const widget = '<cartrita-chat></cartrita-chat>';
const host = 'cartrita-chat';
const replies = (page: Parameters<typeof lastReply>[0]) =>
  page.locator(`${host} [data-item-type="assistant_message"]`);

describe('bootstrap', () => {
  it('creates one session and fires cartrita-ready with its id', async () => {
    const page = await env.open(widget, { head: recordEvents });
    await waitForReady(page);
    const [ready, ...more] = await recordedEvents(page, 'cartrita-ready');
    expect(more).toEqual([]);
    expect(ready?.detail).toEqual({ sessionId: expect.stringMatching(/^sess_/) });
    const sessionRequests = await page.evaluate(
      () =>
        performance
          .getEntriesByType('resource')
          .filter((entry) => new URL(entry.name).pathname === '/api/chatkit/session').length,
    );
    expect(sessionRequests).toBe(1);
    // The secret the widget holds works against the server.
    const { secret } = await widgetState(page);
    const listed = await chatkit<{ data: unknown[] }>(env.server.url, secret, 'threads.list', {});
    expect(listed).toEqual({ status: 200, body: expect.objectContaining({ data: [] }) });
    expect(await page.locator(`${host} [part~="greeting"]`).textContent()).toBe('How can I help you today?');
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});

describe('sending and streaming', () => {
  it('sends a message and renders the streamed reply, as the server saved it', async () => {
    const page = await env.open(widget, { head: recordEvents });
    await waitForReady(page);
    await sendMessage(page, 'Hello there');
    const user = page.locator(`${host} [data-item-type="user_message"] [part~="bubble"]`);
    await expect.poll(() => user.textContent()).toBe('Hello there');
    // Seen while it streams, then done.
    await page.locator(`${host} [data-item-type="assistant_message"][data-status="streaming"]`).waitFor();
    expect(await page.locator(`${host} [part~="panel"]`).getAttribute('data-busy')).toBe('true');
    await lastReply(page).waitFor();
    const markdown = lastReply(page).locator('[part~="markdown"]');
    expect(await markdown.textContent()).toContain('Hello there');
    expect(await markdown.locator('li').count()).toBeGreaterThan(0);
    expect(await markdown.locator('strong, code').count()).toBeGreaterThan(0);

    const { secret, threadId, items } = await widgetState(page);
    const saved = await serverThread(env.server.url, secret, threadId!);
    expect(saved.items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    expect(textOf(saved.items.data[1])).toBe(textOf(items.find((i) => i.type === 'assistant_message')));

    const types = (await recordedEvents(page)).map((event) => event.type);
    expect(types).toEqual([
      'cartrita-ready',
      'cartrita-message-send',
      'cartrita-log',
      'cartrita-response-start',
      'cartrita-thread-change',
      'cartrita-response-end',
    ]);
    expect((await recordedEvents(page, 'cartrita-response-end'))[0]?.detail).toEqual({
      threadId,
      stopped: false,
      error: false,
    });
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('keeps the nodes of settled blocks while later tokens arrive', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    // Snapshot the reply's top-level blocks each time they change, keeping the nodes themselves.
    await page.evaluate((host) => {
      const root = document.querySelector(host)!.shadowRoot!;
      const state = window as unknown as { __snapshots: Element[][] };
      state.__snapshots = [];
      new MutationObserver(() => {
        const markdown = root.querySelector('[data-item-type="assistant_message"] [part~="markdown"]');
        if (!markdown) return;
        const children = [...markdown.children];
        const last = state.__snapshots.at(-1);
        if (!last || last.length !== children.length || last.some((node, i) => node !== children[i]))
          state.__snapshots.push(children);
      }).observe(root, { subtree: true, childList: true, characterData: true });
    }, host);
    await sendMessage(page, '/markdown');
    await lastReply(page).waitFor();
    const result = await page.evaluate((host) => {
      const root = document.querySelector(host)!.shadowRoot!;
      const final = [
        ...root.querySelector('[data-item-type="assistant_message"] [part~="markdown"]')!.children,
      ];
      const snapshots = (window as unknown as { __snapshots: Element[][] }).__snapshots;
      const settled = new Set<Element>();
      const replaced: string[] = [];
      for (const snapshot of snapshots) {
        // The last two blocks are the tail (a list stays there with the block after it); the rest
        // is settled and must survive, at the same place, to the end.
        for (const [index, node] of snapshot.slice(0, -2).entries()) {
          settled.add(node);
          if (final[index] !== node)
            replaced.push(`${node.localName} #${index} "${node.textContent?.slice(0, 30)}"`);
        }
      }
      return { snapshots: snapshots.length, settled: [...settled].map((node) => node.localName), replaced };
    }, host);
    expect(result.replaced).toEqual([]);
    // The reply arrived over many frames and most of its blocks settled before it ended.
    expect(result.snapshots).toBeGreaterThan(5);
    expect(result.settled).toEqual(['h1', 'p', 'h2', 'ol', 'blockquote']);
    expect(page.errors).toEqual([]);
  });
});

describe('stop', () => {
  it('stops a reply midway: the partial reply stays, marked stopped, and the server saved it', async () => {
    const page = await env.open(widget, { head: recordEvents });
    await waitForReady(page);
    await sendMessage(page, '/slow');
    const streaming = page.locator(`${host} [data-item-type="assistant_message"][data-status="streaming"]`);
    await streaming.waitFor();
    await expect.poll(async () => (await streaming.textContent())?.length ?? 0).toBeGreaterThan(20);
    await page.locator(`${host} [part~="stop-button"]`).click();

    const stopped = page.locator(`${host} [data-item-type="assistant_message"][data-status="stopped"]`);
    await stopped.waitFor();
    expect(await stopped.locator('[part~="stopped"]').textContent()).toBe('Stopped');
    expect(((await stopped.locator('[part~="markdown"]').textContent()) ?? '').length).toBeGreaterThan(0);
    // The composer is back: the send button replaces the stop button.
    await page.locator(`${host} [part~="send-button"]`).waitFor();
    expect(await page.locator(`${host} [part~="panel"]`).getAttribute('data-busy')).toBe('false');
    expect((await recordedEvents(page, 'cartrita-response-end'))[0]?.detail).toMatchObject({
      stopped: true,
      error: false,
    });

    const { secret, threadId, items } = await widgetState(page);
    const shown = textOf(items.find((item) => item.type === 'assistant_message'));
    expect(shown.length).toBeGreaterThan(0);
    // The server saves what it had generated when it noticed the abort: at least what was shown.
    await expect
      .poll(async () => {
        const saved = await serverThread(env.server.url, secret, threadId!);
        return textOf(saved.items.data.find((item) => item.type === 'assistant_message'));
      })
      .toMatch(new RegExp(`^${shown.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    // The full reply was never shown.
    expect(shown).not.toMatch(/CHAT_PROVIDER=openai/);
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });
});

describe('retry', () => {
  it('offers Retry after a /error reply and sends threads.retry_after_item for its message', async () => {
    const page = await env.open(widget, { head: recordEvents });
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    await sendMessage(page, '/error');
    const alert = page.locator(`${host} [part~="error"][role="alert"]`);
    await alert.waitFor();
    expect(await alert.textContent()).toContain('The demo provider failed on purpose.');
    // The partial text stays on screen.
    expect(await replies(page).count()).toBe(1);
    const { items, secret, threadId } = await widgetState(page);
    const userId = items.find((item) => item.type === 'user_message')!.id;
    const firstAnswer = items.find((item) => item.type === 'assistant_message')!.id;
    expect(await axeViolations(page)).toEqual([]);

    await page.locator(`${host} [part~="retry-button"]`).click();
    await expect.poll(() => calls.map((call) => call.type)).toContain('threads.retry_after_item');
    expect(calls.find((call) => call.type === 'threads.retry_after_item')?.params).toEqual({
      thread_id: threadId,
      item_id: userId,
    });
    // The demo fails again the same way; the old partial answer was replaced, not kept beside it.
    await alert.waitFor();
    await expect
      .poll(async () => (await widgetState(page)).items.map((item) => item.type))
      .toEqual(['user_message', 'assistant_message']);
    expect((await widgetState(page)).items[1]?.id).not.toBe(firstAnswer);
    const saved = await serverThread(env.server.url, secret, threadId!);
    expect(saved.items.data.map((item) => item.type)).toEqual(['user_message', 'assistant_message']);
    const errors = await recordedEvents(page, 'cartrita-error');
    expect(errors).toHaveLength(2);
    // The page logs nothing of its own for a failure the user sees and can retry.
    expect(page.errors).toEqual([]);
  });

  it('answers the newest message again from its Retry action, replacing the answer', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    await sendMessage(page, 'First question');
    await lastReply(page).waitFor();
    const before = await widgetState(page);
    const oldAnswer = before.items.find((item) => item.type === 'assistant_message')!.id;
    await lastReply(page).locator('[part~="action-button"][aria-label="Retry"]').click();
    await expect
      .poll(async () => (await widgetState(page)).items.map((item) => item.id))
      .not.toContain(oldAnswer);
    await lastReply(page).waitFor();
    expect(await replies(page).count()).toBe(1);
    expect(calls.filter((call) => call.type === 'threads.retry_after_item')).toHaveLength(1);
    expect(await lastReply(page).textContent()).toContain('First question');
    expect(page.errors).toEqual([]);
  });
});

describe('no duplicate sends', () => {
  it('sends once on a double click of the send button', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    await page.locator(`${host} [part~="input"]`).fill('Only once, please');
    await page.locator(`${host} [part~="send-button"]`).dblclick();
    await lastReply(page).waitFor();
    expect(await page.locator(`${host} [data-item-type="user_message"]`).count()).toBe(1);
    expect(calls.filter((call) => call.type.startsWith('threads.')).map((call) => call.type)).toEqual([
      'threads.create',
    ]);
  });

  it('sends once while Enter is held down', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    await page.locator(`${host} [part~="input"]`).fill('Held key');
    await page.locator(`${host} [part~="input"]`).focus();
    // The second and later key downs without a key up are auto-repeats (`event.repeat`).
    for (let n = 0; n < 5; n++) await page.keyboard.down('Enter');
    await page.keyboard.up('Enter');
    await lastReply(page).waitFor();
    expect(await page.locator(`${host} [data-item-type="user_message"]`).count()).toBe(1);
    expect(calls.filter((call) => call.type.startsWith('threads.'))).toHaveLength(1);
    // No stray line breaks were typed into the box either.
    expect(await page.locator(`${host} [part~="input"]`).inputValue()).toBe('');
  });

  it('refuses a second sendMessage() while the first streams', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    const sent = await page.locator(host).evaluate((element) => {
      const chat = element as HTMLElement & { sendMessage(text: string): boolean };
      return [chat.sendMessage('one'), chat.sendMessage('two')];
    });
    expect(sent).toEqual([true, false]);
    await lastReply(page).waitFor();
    expect(calls.filter((call) => call.type.startsWith('threads.'))).toHaveLength(1);
  });
});

describe('the live region', () => {
  it('announces a reply once, when it is complete, not token by token', async () => {
    const page = await env.open(widget);
    await waitForReady(page);
    await page.evaluate((host) => {
      const root = document.querySelector(host)!.shadowRoot!;
      const announcer = root.querySelector('[data-announcer]')!;
      const state = window as unknown as { __announced: string[] };
      state.__announced = [];
      new MutationObserver(() => {
        const text = announcer.textContent?.trim() ?? '';
        if (text && text !== state.__announced.at(-1)) state.__announced.push(text);
      }).observe(announcer, { subtree: true, childList: true, characterData: true });
    }, host);
    const announcer = page.locator(`${host} [data-announcer]`);
    expect(await announcer.getAttribute('aria-live')).toBe('polite');
    expect(await page.locator(`${host} [role="log"]`).getAttribute('aria-live')).toBe('off');

    await sendMessage(page, 'Tell me something');
    await lastReply(page).waitFor();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __announced: string[] }).__announced.length))
      .toBe(1);
    const [announced] = await page.evaluate(
      () => (window as unknown as { __announced: string[] }).__announced,
    );
    const reply = (await lastReply(page).locator('[part~="markdown"]').textContent()) ?? '';
    expect(announced).toBe(`Assistant: ${reply}`.trim());
    // The streaming message itself sits in the log, whose own announcements are off.
    expect(await lastReply(page).evaluate((node) => node.closest('[aria-live="polite"]'))).toBeNull();
  });
});
