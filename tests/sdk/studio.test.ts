import { CartritaClient, type StudioUpdate } from '@cartrita/sdk';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// `client.realtime.studio()` against the real server.

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

it('subscribes to a session and reads its turn as it streams, to the complete reply', async () => {
  const client = new CartritaClient({ baseURL: server.url, apiKey: server.apiKey });
  const headers = { 'x-api-key': server.apiKey, 'content-type': 'application/json' };
  const chat = async (body: Record<string, unknown>) =>
    (await (
      await fetch(`${server.url}/chat/`, { method: 'POST', headers, body: JSON.stringify(body) })
    ).json()) as {
      session_id: string;
      response: string;
    };
  const { session_id } = await chat({ message: 'Hello' });
  const studio = client.realtime.studio('sdk-dashboard', { heartbeatMs: 0 });
  await studio.ready;
  expect(studio.state).toBe('open');
  await studio.subscribe(session_id);
  const listened: string[] = [];
  studio.on((update) => listened.push(update.type));
  const answer = chat({ message: 'Stream it', session_id });
  const seen: StudioUpdate[] = [];
  for await (const update of studio) {
    seen.push(update);
    if (update.type === 'execution_monitoring_update') break;
  }
  studio.close();
  const { response } = await answer;
  const text = seen.flatMap((update) =>
    update.type === 'chat_update' && !update.is_complete ? [update.message] : [],
  );
  expect(text.join('')).toBe(response);
  expect(seen.find((update) => update.type === 'chat_update' && update.is_complete)).toMatchObject({
    message: response,
    session_id,
  });
  expect(listened).toEqual(seen.map((update) => update.type));
  expect(studio.state).toBe('closed');
  await expect(studio.subscribe(session_id)).rejects.toThrow('closed');
});
