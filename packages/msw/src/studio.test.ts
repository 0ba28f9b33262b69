import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { setupCartritaServer } from './node.js';

// `WS /ws/{client_id}` in the mocks: the engine's studio connection over the store's bus, as the
// server runs it.

const server = setupCartritaServer({ baseURL: 'http://studio.test' });
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterAll(() => server.close());

const secret = async () =>
  (
    (await (await fetch('http://studio.test/api/chatkit/session', { method: 'POST' })).json()) as {
      client_secret: string;
    }
  ).client_secret;

const open = (path: string) => {
  const socket = new WebSocket(`ws://studio.test${path}`);
  const messages: { type: string; [key: string]: unknown }[] = [];
  socket.addEventListener('message', (event) => messages.push(JSON.parse(String(event.data))));
  const closed = new Promise<number>((resolve) =>
    socket.addEventListener('close', (event) => resolve(event.code)),
  );
  onTestFinished(() => socket.close());
  return { socket, messages, closed };
};

it('streams a subscribed session’s chat as the server does', async () => {
  const token = await secret();
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const chat = async (body: Record<string, unknown>) =>
    (await (
      await fetch('http://studio.test/chat/', { method: 'POST', headers, body: JSON.stringify(body) })
    ).json()) as {
      session_id: string;
      response: string;
    };
  const { session_id } = await chat({ message: 'Hello' });
  const { socket, messages } = open(`/ws/dash-1?access_token=${token}`);
  await expect.poll(() => messages[0]).toEqual({ type: 'connected', client_id: 'dash-1' });
  socket.send(JSON.stringify({ type: 'subscribe', session_id }));
  await expect.poll(() => messages.some((message) => message.type === 'subscribed')).toBe(true);
  const answer = await chat({ message: 'Again', session_id });
  await expect
    .poll(() => messages.some((message) => message.type === 'execution_monitoring_update'))
    .toBe(true);
  const updates = messages.filter((message) => message.type === 'chat_update');
  expect(updates.at(-1)).toMatchObject({ session_id, is_complete: true, message: answer.response });
  expect(
    updates
      .filter((update) => !update.is_complete)
      .map((update) => update.message)
      .join(''),
  ).toBe(answer.response);
  expect(server.store.sockets.studio).toBe(1);
});

it('closes a socket without a credential with 1008, and leaves /ws/chat to the chat socket', async () => {
  const { closed } = open('/ws/dash-2');
  expect(await closed).toBe(1008);
  const token = await secret();
  const chatSocket = open(`/ws/chat?access_token=${token}`);
  await expect.poll(() => chatSocket.messages[0]?.type).toBe('session_start');
});
