import { CartritaClient } from '@cartrita/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// Paged lists against the real server: a page reads as the server's answer, and iterating it walks
// every page after it.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('walks every ChatKit thread through `after` cursors, two at a time', async () => {
  const client = new CartritaClient({
    baseURL: server.url,
    apiKey: server.apiKey,
    defaultHeaders: { 'x-cartrita-user': 'pager' },
  });
  const created: string[] = [];
  for (let n = 0; n < 5; n++) created.push((await client.conversations.create({ title: `t${n}` })).id);
  const first = await client.chatkit.threads.list({ limit: 2, order: 'asc' });
  expect([first.data.map((thread) => thread.id), first.has_more, first.hasNextPage()]).toEqual([
    created.slice(0, 2),
    true,
    true,
  ]);
  expect(JSON.parse(JSON.stringify(first))).toEqual({ data: first.data, has_more: true, after: created[1] });
  const second = await first.getNextPage();
  expect(second.data.map((thread) => thread.id)).toEqual(created.slice(2, 4));
  const seen: string[] = [];
  for await (const thread of client.chatkit.threads.list({ limit: 2, order: 'asc' })) seen.push(thread.id);
  expect(seen).toEqual(created);
  const pages: number[] = [];
  for await (const page of first.iterPages()) pages.push(page.data.length);
  expect(pages).toEqual([2, 2, 1]);
});

it('walks a session’s events through limit and offset, and stops at the total', async () => {
  const client = new CartritaClient({ baseURL: server.url, apiKey: server.apiKey });
  const { session_id } = await client.sessions.create({ name: 'pages' });
  for (let n = 0; n < 7; n++) await client.events.publish(session_id, { event_type: 'Tick', data: { n } });
  const page = await client.events.list(session_id, { limit: 3 });
  expect([page.events.length, page.total, page.hasNextPage()]).toEqual([3, 7, true]);
  const ticks: unknown[] = [];
  for await (const event of client.events.list(session_id, { limit: 3 })) ticks.push(event.data.n);
  expect(ticks).toEqual([0, 1, 2, 3, 4, 5, 6]);
  const last = await await (await page.getNextPage()).getNextPage();
  expect([last.events.length, last.hasNextPage()]).toEqual([1, false]);
  await expect(last.getNextPage()).rejects.toThrow('There is no next page');
});
