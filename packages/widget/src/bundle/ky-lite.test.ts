import type * as Sdk from '@cartrita/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../../reference-server/src/testing.js';
import { importBundled } from '../../../../tests/widget/stand-ins.js';

// The SDK as the script-tag build bundles it (ky, zod and eventsource-parser replaced), against the
// real server.
const { ChatKit, Transport, isNotFoundError } = await importBundled<typeof Sdk>(
  "export { ChatKit, Transport, isNotFoundError } from '@cartrita/sdk';",
);

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('the SDK with its script-tag stand-ins', () => {
  it('creates a session, streams a reply and reads JSON results', async () => {
    const anonymous = new ChatKit(new Transport({ baseURL: server.url }));
    const session = await anonymous.createSession();
    const chat = new ChatKit(
      new Transport({ baseURL: server.url, getAuthToken: () => session.client_secret }),
    );
    const stream = await chat.threads.create({
      input: { content: [{ type: 'input_text', text: 'Hello' }], attachments: [], inference_options: {} },
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types[0]).toBe('thread.created');
    expect(types).toContain('thread.item.done');
    const page = await chat.threads.list({ limit: 5 });
    expect(page.data).toHaveLength(1);
    await expect(chat.threads.retrieve({ thread_id: 'thr_missing' })).rejects.toSatisfy(isNotFoundError);
  });

  it('joins the base path and the query like ky', async () => {
    const seen: string[] = [];
    const fetch = async (input: Request | string | URL, init?: RequestInit) => {
      seen.push(`${init?.method} ${String(input)} ${new Headers(init?.headers).get('content-type')}`);
      return new Response('{}', { headers: { 'content-type': 'application/json' } });
    };
    const transport = new Transport({ baseURL: 'http://x.test/base/', fetch });
    await transport.request({ method: 'GET', path: '/a', query: { b: 1, c: ['2', '3'], d: undefined } });
    await transport.request({ method: 'POST', path: 'e', body: { f: 1 } });
    expect(seen).toEqual([
      'GET http://x.test/base/a?b=1&c=2&c=3 null',
      'POST http://x.test/base/e application/json',
    ]);
  });
});
