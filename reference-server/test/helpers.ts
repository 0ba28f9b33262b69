import { type ThreadStreamEvent, ThreadStreamEvent as ThreadStreamEventSchema } from '@cartrita/contracts';
import { onTestFinished } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../src/testing.js';

/** Starts a server for the calling test and closes it after. */
export const useServer = async (options: TestServerOptions = {}): Promise<TestServer> => {
  const server = await startTestServer(options);
  onTestFinished(() => server.close());
  return server;
};

/** A client secret for a fresh anonymous session. */
export const createSecret = async (url: string): Promise<string> => {
  const res = await fetch(`${url}/api/chatkit/session`, { method: 'POST' });
  if (res.status !== 200) throw new Error(`session: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { client_secret: string }).client_secret;
};

/** POSTs a ChatKit request. */
export const chatkit = (url: string, secret: string, body: unknown, init: RequestInit = {}) =>
  fetch(`${url}/chatkit`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
    ...init,
  });

/** Reads a whole SSE body into validated events, checking the exact `data: <json>\n\n` framing. */
export const readEvents = async (res: Response): Promise<ThreadStreamEvent[]> => {
  const text = await res.text();
  if (text === '') return [];
  if (!text.endsWith('\n\n'))
    throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      if (!frame.startsWith('data: ') || frame.includes('\n'))
        throw new Error(`bad frame ${JSON.stringify(frame)}`);
      return ThreadStreamEventSchema.parse(JSON.parse(frame.slice(6)));
    });
};

/** A user message input. */
export const input = (text: string, attachments: string[] = []) => ({
  content: [{ type: 'input_text', text }],
  attachments,
  inference_options: {},
});

/** Starts a thread with a message and returns the thread id and its events. */
export const startThread = async (url: string, secret: string, text: string) => {
  const res = await chatkit(url, secret, { type: 'threads.create', params: { input: input(text) } });
  const events = await readEvents(res);
  const created = events.find((e) => e.type === 'thread.created');
  if (created?.type !== 'thread.created') throw new Error('no thread.created');
  return { threadId: created.thread.id, events };
};

/** The concatenated text of the assistant messages among events. */
export const assistantText = (events: ThreadStreamEvent[]) =>
  events
    .flatMap((e) =>
      e.type === 'thread.item.done' && e.item.type === 'assistant_message' ? e.item.content : [],
    )
    .map((part) => part.text)
    .join('');
