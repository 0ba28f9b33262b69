// biome-ignore-all lint/suspicious/noTemplateCurlyInString: module contents write `${variable}` placeholders
import { ChatStreamFrame, Message } from '@cartrita/contracts';
import { expect, it } from 'vitest';
import { createSecret, useServer } from './helpers.js';

// Seed 003's stages 4–5 on the HTTP doors of the real server: the JSON door, an SSE door and
// /chatkit each run the triggered after-reply module and keep its report on the assistant message.

const call = (url: string, secret: string, method: string, path: string, body?: unknown) =>
  fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** What the after-reply reports on a stored message say, without ids and timing. */
const reportsOn = async (url: string, secret: string, messageId: string) => {
  const message = Message.parse(await (await call(url, secret, 'GET', `/api/messages/${messageId}`)).json());
  const kept = (message.extra_data as { post_response: { modules: Record<string, unknown>[] } })
    .post_response;
  return kept.modules.map(({ name, stage, status, text }) => ({ name, stage, status, text }));
};

it('runs the after-reply modules on /api/chat, /api/chat/stream and /chatkit, keeping their reports', async () => {
  const { url } = await useServer();
  const secret = await createSecret(url);
  const created = await call(url, secret, 'POST', '/api/modules', {
    name: 'harbour_log',
    type: 'simple',
    content: 'Logged: ${message}',
    trigger_pattern: 'harbour',
    execution_stage: 'POST_RESPONSE',
  });
  expect(created.status).toBe(201);
  const expected = (text: string) => [
    { name: 'harbour_log', stage: 'post_response', status: 'completed', text: `Logged: ${text}` },
  ];

  const json = await (await call(url, secret, 'POST', '/api/chat', { message: 'To the harbour' })).json();
  expect(await reportsOn(url, secret, json.message_id)).toEqual(expected('To the harbour'));

  const stream = await call(url, secret, 'POST', '/api/chat/stream', { message: 'Harbour lights' });
  const frames = (await stream.text())
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => ChatStreamFrame.parse(JSON.parse(/^data: (.+)$/m.exec(block)?.[1] as string)));
  const last = frames.at(-1);
  expect(frames.at(-2)?.type).toBe('done');
  expect(last?.type === 'post_response' && last.modules.map(({ name, text }) => ({ name, text }))).toEqual([
    { name: 'harbour_log', text: 'Logged: Harbour lights' },
  ]);
  const done = frames.at(-2) as Extract<ChatStreamFrame, { type: 'done' }>;
  expect(await reportsOn(url, secret, done.message_id)).toEqual(expected('Harbour lights'));

  const chatkit = await call(url, secret, 'POST', '/chatkit', {
    type: 'threads.create',
    params: {
      input: {
        content: [{ type: 'input_text', text: 'Which harbour?' }],
        attachments: [],
        inference_options: {},
      },
    },
  });
  const events = (await chatkit.text())
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map(
      (block) =>
        JSON.parse(block.slice('data: '.length)) as { type: string; item?: { id: string; type: string } },
    );
  const reply = events.find(
    (event) => event.type === 'thread.item.done' && event.item?.type === 'assistant_message',
  );
  expect(await reportsOn(url, secret, reply?.item?.id as string)).toEqual(expected('Which harbour?'));

  // A message that meets no trigger: no post_response frame, nothing kept.
  const quiet = await call(url, secret, 'POST', '/api/chat/stream', { message: 'Open sea' });
  expect((await quiet.text()).includes('"post_response"')).toBe(false);
});
