import { describe, expect, it } from 'vitest';
import { sendMessage, useWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import {
  chatkit,
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  serverThread,
  waitForIdle,
  widgetState,
} from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
type Chat = HTMLElement & Record<string, (...args: unknown[]) => unknown>;
/** Calls a method of the element in the page and returns what it returned. */
const call = (page: Awaited<ReturnType<WidgetEnv['open']>>, method: string, ...args: unknown[]) =>
  page
    .locator(host)
    .evaluate(
      async (element, [method, args]) => await (element as Chat)[method as string]?.(...(args as unknown[])),
      [method, args] as const,
    );

/** An attachment made and uploaded outside the widget, as a page with its own upload would. */
const uploadedAttachment = async (secret: string) => {
  const bytes = new TextEncoder().encode('Notes for the meeting');
  const created = await chatkit<{ id: string; upload_descriptor: { url: string } }>(
    env.server.url,
    secret,
    'attachments.create',
    { name: 'notes.txt', size: bytes.length, mime_type: 'text/plain' },
  );
  const form = new FormData();
  form.append('file', new Blob([bytes], { type: 'text/plain' }), 'notes.txt');
  const upload = await fetch(created.body.upload_descriptor.url, { method: 'POST', body: form });
  expect(upload.status).toBeLessThan(300);
  return (await upload.json()) as { id: string; name: string };
};

describe('host-page control', () => {
  it('puts text in the composer without sending it', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await call(page, 'setComposerValue', { text: 'A draft from the page' });
    expect(await page.locator(`${host} [part~="input"]`).inputValue()).toBe('A draft from the page');
    expect(calls).toEqual([]);
  });

  it('sends a message with tags and an attachment, and logs it', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    const { secret } = await widgetState(page);
    const attachment = await uploadedAttachment(secret);
    const sent = await call(page, 'sendUserMessage', {
      text: 'Summarise this for me',
      attachments: [attachment],
      tags: [{ id: 'person_ada', text: '@Ada', data: { team: 'maths' } }],
    });
    expect(sent).toBe(true);
    await waitForIdle(page);
    expect(calls[0]).toEqual({
      type: 'threads.create',
      params: {
        input: {
          content: [
            {
              type: 'input_tag',
              id: 'person_ada',
              text: '@Ada',
              data: { team: 'maths' },
              group: null,
              interactive: false,
            },
            { type: 'input_text', text: 'Summarise this for me' },
          ],
          attachments: [attachment.id],
          inference_options: {},
        },
      },
    });
    const { threadId } = await widgetState(page);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    const user = thread.items.data.find((item) => item.type === 'user_message');
    expect(user?.attachments?.map((a) => a.name)).toEqual(['notes.txt']);
    expect((user?.content as Array<{ type: string }> | undefined)?.map((part) => part.type)).toEqual([
      'input_tag',
      'input_text',
    ]);
    const logs = await recordedEvents(page, 'cartrita-log');
    expect(logs[0]?.detail).toEqual({
      name: 'message.send',
      data: { threadId: null, attachments: 1, tags: 1 },
    });
  });

  it('starts a new thread for a message when asked', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await sendMessage(page, 'First thread');
    await waitForIdle(page);
    const first = (await widgetState(page)).threadId;
    expect(await call(page, 'sendUserMessage', { text: 'Second thread', newThread: true })).toBe(true);
    await waitForIdle(page);
    expect(calls.map((c) => c.type)).toEqual(['threads.create', 'threads.create']);
    expect((await widgetState(page)).threadId).not.toBe(first);
  });

  it('sends custom actions, streamed and not, and fetches updates made elsewhere', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await sendMessage(page, '/widget');
    const card = page.locator(`${host} [part~="widget-card"]`);
    await card.waitFor();
    await waitForIdle(page);
    const { secret, threadId, items } = await widgetState(page);
    const widgetId = items.find((item) => item.type === 'widget')?.id;
    const picked = (colour: string) =>
      expect.poll(() => card.textContent()).toContain(`You picked ${colour}.`);

    expect(
      await call(
        page,
        'sendCustomAction',
        { type: 'demo.pick', payload: { colour: 'blue' }, streaming: false },
        widgetId,
      ),
    ).toBe(true);
    await picked('blue');
    await waitForIdle(page);
    expect(
      await call(page, 'sendCustomAction', { type: 'demo.pick', payload: { colour: 'red' } }, widgetId),
    ).toBe(true);
    await picked('red');
    await waitForIdle(page);
    expect(calls.slice(1).map((c) => [c.type, (c.params.action as { payload: unknown }).payload])).toEqual([
      ['threads.sync_custom_action', { colour: 'blue' }],
      ['threads.custom_action', { colour: 'red' }],
    ]);

    // Another client changes the widget; the page asks for updates.
    const other = await chatkit(env.server.url, secret, 'threads.sync_custom_action', {
      thread_id: threadId,
      item_id: widgetId,
      action: { type: 'demo.pick', payload: { colour: 'green' } },
    });
    expect(other.status).toBe(200);
    await call(page, 'fetchUpdates');
    await picked('green');
    const loads = (await recordedEvents(page)).filter((e) => e.type.startsWith('cartrita-thread-load'));
    expect(loads).toEqual([
      { type: 'cartrita-thread-load-start', detail: { threadId } },
      { type: 'cartrita-thread-load-end', detail: { threadId, error: false } },
    ]);
    // The thread did not change: no thread-change event for a refresh.
    expect((await recordedEvents(page, 'cartrita-thread-change')).length).toBe(1);
  });

  it('opens and closes the history, with events', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>', { head: recordEvents });
    await waitForReady(page);
    await call(page, 'showHistory');
    await page.locator(`${host} [part~="history"]`).waitFor();
    await call(page, 'showHistory');
    await call(page, 'hideHistory');
    await page.locator(`${host} [part~="history"]`).waitFor({ state: 'detached' });
    expect(await recordedEvents(page, 'cartrita-history-toggle')).toEqual([
      { type: 'cartrita-history-toggle', detail: { open: true } },
      { type: 'cartrita-history-toggle', detail: { open: false } },
    ]);
  });
});
