import { CartritaClient } from '@cartrita/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// `.withResponse()` and `.asResponse()` on streaming calls, against the real server: the response
// and its request id are there as soon as the stream opens.

let server: TestServer;
let sdk: CartritaClient;
beforeAll(async () => {
  server = await startTestServer();
  const anonymous = new CartritaClient({ baseURL: server.url });
  const { client_secret } = await anonymous.chatkit.createSession();
  sdk = new CartritaClient({ baseURL: server.url, clientSecret: client_secret });
});
afterAll(() => server.close());

const input = (text: string) => ({
  content: [{ type: 'input_text' as const, text }],
  attachments: [],
  inference_options: {},
});

it('chat.stream().withResponse() gives the open stream, its response and its request id', async () => {
  const { data: stream, response, requestId } = await sdk.chat.stream({ message: 'Hello' }).withResponse();
  expect([response.status, response.headers.get('content-type')?.split(';')[0]]).toEqual([
    200,
    'text/event-stream',
  ]);
  expect(requestId).toBe(response.headers.get('x-request-id'));
  expect(requestId).toMatch(/^.{8,}$/);
  expect(stream.responseId).toMatch(/^resp_/);
  const reply = await stream.finalResponse();
  expect(reply.response).toBe(stream.text);
  expect(reply.response.length).toBeGreaterThan(0);
});

it('chat.stream().asResponse() gives the event stream unread, as the server sent it', async () => {
  const response = await sdk.chat.stream({ message: 'Hello' }).asResponse();
  expect(response.status).toBe(200);
  const text = await response.text();
  const types = [...text.matchAll(/"type":"(\w+)"/g)].map((match) => match[1]);
  expect(types[0]).toBe('start');
  expect(types.at(-1)).toBe('done');
});

it('chatkit.threads.create().withResponse() gives the stream with its response and request id', async () => {
  const {
    data: stream,
    response,
    requestId,
  } = await sdk.chatkit.threads.create({ input: input('Hello') }).withResponse();
  expect(response.status).toBe(200);
  expect(requestId).toBe(response.headers.get('x-request-id'));
  expect(requestId).toMatch(/^.{8,}$/);
  const types: string[] = [];
  for await (const event of stream) types.push(event.type);
  expect(types[0]).toBe('thread.created');
  expect(types).toContain('thread.item.done');
});

it('chatkit.threads.create().asResponse() gives the raw events', async () => {
  const call = sdk.chatkit.threads.create({ input: input('Hello') });
  const response = await call.asResponse();
  const text = await response.text();
  expect(text).toMatch(/^(data|id|event|:)/);
  expect(text).toContain('"type":"thread.created"');
});

it('a stream refused by the server rejects withResponse() with the API error and its request id', async () => {
  const refused = new CartritaClient({ baseURL: server.url, clientSecret: 'cs_not_a_secret', maxRetries: 0 });
  const error = await refused.chat
    .stream({ message: 'Hello' })
    .withResponse()
    .catch((failure: unknown) => failure);
  expect(error).toMatchObject({ status: 401 });
  expect((error as { requestId: string | null }).requestId).toMatch(/^.{8,}$/);
});
