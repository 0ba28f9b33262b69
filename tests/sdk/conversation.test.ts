import { CartritaClient, type ChatKitStreamEvent, isNotFoundError } from '@cartrita/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const input = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text' as const, text }],
  attachments,
  inference_options: {},
});

const collect = async (stream: AsyncIterable<ChatKitStreamEvent>) => {
  const events: ChatKitStreamEvent[] = [];
  for await (const event of stream) events.push(event);
  return events;
};

const textOf = (events: ChatKitStreamEvent[]) =>
  events
    .flatMap((e) =>
      e.type === 'thread.item.done' && e.item.type === 'assistant_message' ? e.item.content : [],
    )
    .map((p) => p.text)
    .join('');

describe('the SDK against the real server', () => {
  it('runs a whole ChatKit conversation', async () => {
    const anonymous = new CartritaClient({ baseURL: server.url });
    const session = await anonymous.chatkit.createSession();
    const client = new CartritaClient({ baseURL: server.url, clientSecret: session.client_secret });

    // Attachment, two-phase.
    const announced = await client.chatkit.attachments.create({
      name: 'notes.txt',
      size: 5,
      mime_type: 'text/plain',
    });
    const attachment = await client.chatkit.attachments.uploadBytes(
      announced,
      new Blob(['hello'], { type: 'text/plain' }),
    );
    expect(attachment.upload_descriptor).toBeUndefined();

    // Create and stream.
    const created = await collect(
      await client.chatkit.threads.create({ input: input('What is Cartrita?', [attachment.id]) }),
    );
    const thread = created.find((e) => e.type === 'thread.created');
    if (thread?.type !== 'thread.created') throw new Error('no thread');
    const threadId = thread.thread.id;
    expect(textOf(created)).toContain('What is Cartrita?');

    // Second message, then list, get and page through items.
    await collect(
      await client.chatkit.threads.addUserMessage({ thread_id: threadId, input: input('And the widget?') }),
    );
    const threads = await client.chatkit.threads.list();
    expect(threads.data.map((t) => t.id)).toEqual([threadId]);
    const full = await client.chatkit.threads.retrieve({ thread_id: threadId });
    expect(full.items.data.map((i) => i.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
    const first = full.items.data[0];
    expect(first?.type === 'user_message' && first.attachments[0]?.id).toBe(attachment.id);
    const page1 = await client.chatkit.items.list({ thread_id: threadId, order: 'asc', limit: 3 });
    expect(page1.has_more).toBe(true);
    const page2 = await client.chatkit.items.list({
      thread_id: threadId,
      order: 'asc',
      limit: 3,
      after: page1.after,
    });
    expect([...page1.data, ...page2.data].map((i) => i.id)).toEqual(full.items.data.map((i) => i.id));

    // Retry the last user message: its old answer is replaced.
    const lastUser = full.items.data[2]!;
    const oldAnswer = full.items.data[3]!;
    await collect(await client.chatkit.threads.retryAfterItem({ thread_id: threadId, item_id: lastUser.id }));
    const afterRetry = await client.chatkit.items.list({ thread_id: threadId, order: 'asc' });
    expect(afterRetry.data).toHaveLength(4);
    expect(afterRetry.data.map((i) => i.id)).not.toContain(oldAnswer.id);

    // Feedback, rename, delete.
    expect(
      await client.chatkit.items.feedback({
        thread_id: threadId,
        item_ids: [afterRetry.data[3]!.id],
        kind: 'positive',
      }),
    ).toEqual({});
    const renamed = await client.chatkit.threads.update({ thread_id: threadId, title: 'About Cartrita' });
    expect(renamed.title).toBe('About Cartrita');
    expect(await client.chatkit.threads.delete({ thread_id: threadId })).toEqual({});
    const gone = await client.chatkit.threads
      .retrieve({ thread_id: threadId })
      .catch((error: unknown) => error);
    expect(isNotFoundError(gone)).toBe(true);
  });

  it('refreshes an expired client secret once and retries the call', async () => {
    const anonymous = new CartritaClient({ baseURL: server.url });
    const calls: boolean[] = [];
    const client = new CartritaClient({
      baseURL: server.url,
      getClientSecret: async ({ force }) => {
        calls.push(force);
        return force ? (await anonymous.chatkit.createSession()).client_secret : 'cks_expired.AAAA';
      },
    });
    const page = await client.chatkit.threads.list();
    expect(page).toEqual({ data: [], has_more: false });
    expect(calls).toEqual([false, true]);
  });

  it('stops a reply when the stream is aborted and keeps the partial text', async () => {
    const slow = await startTestServer({ env: { DEMO_PACE_MS: '5' } });
    try {
      const anonymous = new CartritaClient({ baseURL: slow.url });
      const client = new CartritaClient({
        baseURL: slow.url,
        clientSecret: (await anonymous.chatkit.createSession()).client_secret,
      });
      const stream = await client.chatkit.threads.create({ input: input('/slow') });
      let threadId = '';
      let deltas = 0;
      for await (const event of stream) {
        if (event.type === 'thread.created') threadId = event.thread.id;
        if (
          event.type === 'thread.item.updated' &&
          event.update.type === 'assistant_message.content_part.text_delta'
        ) {
          if (++deltas === 3) stream.abort();
        }
      }
      let items: { type: string }[] = [];
      for (let i = 0; i < 50 && items.length < 2; i++) {
        items = (await client.chatkit.items.list({ thread_id: threadId, order: 'asc' })).data;
        if (items.length < 2) await new Promise((r) => setTimeout(r, 20));
      }
      expect(items.map((i) => i.type)).toEqual(['user_message', 'assistant_message']);
    } finally {
      await slow.close();
    }
  });
});
