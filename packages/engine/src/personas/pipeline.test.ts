// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates write `${variable}` placeholders
import { defaultUploadTypes } from '@cartrita/contracts';
import { expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { chatReply } from '../chat/doors.js';
import { createEngine, triggerMatches } from '../engine.js';
import { createMemoryRepositories } from '../memory.js';
import type { ChatProvider, ProviderRequest } from '../providers/types.js';
import { createQuickJsSandbox } from '../quickjs/index.js';
import { createSigner } from '../signer.js';

// Seed 003's pipeline, stages 1–2: a conversation's persona template, resolved over the user's
// modules, is the system prompt of its turns on every door.

const setup = () => {
  const requests: ProviderRequest[] = [];
  const provider: ChatProvider = {
    name: 'recorder',
    defaultModel: 'recorder-model',
    async *stream(request) {
      requests.push(request);
      yield { type: 'text', delta: 'Arr.' };
    },
  };
  const engine = createEngine({
    repositories: createMemoryRepositories(),
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(5)),
    providers: { list: [provider], default: 'recorder' },
    uploads: { maxBytes: 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
    sandbox: createQuickJsSandbox(),
  });
  const chat = (userId: string, body: { message: string; conversation_id?: string; persona_id?: string }) =>
    chatReply(engine.chat, body, { userId, baseUrl: 'http://localhost' }, new AbortController().signal);
  const system = (index: number) =>
    (requests[index]?.messages ?? [])
      .filter((message) => message.role === 'system')
      .map((message) => message.content);
  return { engine, chat, system };
};

it('makes the persona’s resolved template the system prompt of a conversation created for it', async () => {
  const { engine, chat, system } = setup();
  await engine.modules.create(
    { name: 'voice', type: 'simple', content: 'a pirate who says ${greeting}', is_active: true },
    'ada',
  );
  const persona = await engine.personas.create(
    { name: 'Captain', template: 'You are @voice. Greeting: ${greeting}', mode: 'reactive', is_active: true },
    'ada',
  );
  const conversation = await engine.conversations.create('ada', { title: 'Ahoy', persona_id: persona.id });
  await chat('ada', { message: 'Hello', conversation_id: conversation.id });
  expect(system(0)[0]).toBe('You are a pirate who says ${greeting}. Greeting: ${greeting}');
});

it('takes persona_id on a chat door, keeps it on the conversation, and refuses a persona that is not the user’s', async () => {
  const { engine, chat, system } = setup();
  const persona = await engine.personas.create(
    { name: 'Guide', template: 'You guide travellers.', mode: 'reactive', is_active: true },
    'ada',
  );
  const first = await chat('ada', { message: 'Where to?', persona_id: persona.id });
  // The persona's prompt comes first; what the memory area recalls may follow it.
  expect(system(0)[0]).toBe('You guide travellers.');
  expect((await engine.conversations.get('ada', first.conversation_id)).persona_id).toBe(persona.id);
  await chat('ada', { message: 'And then?', conversation_id: first.conversation_id });
  expect(system(1)[0]).toBe('You guide travellers.');
  await expect(chat('bob', { message: 'Mine?', persona_id: persona.id })).rejects.toMatchObject({
    status: 404,
  });
  await chat('ada', { message: 'No persona here' });
  expect(system(2).filter((content) => content.includes('travellers'))).toEqual([]);
});

it('adds the modules whose trigger the message meets, leaving out after-reply ones and inactive ones', async () => {
  const { engine, chat, system } = setup();
  const module = (name: string, content: string, more: Record<string, unknown> = {}) =>
    engine.modules.create({ name, type: 'simple', content, is_active: true, ...more }, 'ada');
  await module('weather', 'Mention the forecast.', { trigger_pattern: 'rain | Forecast' });
  await module('summary', 'Summarise afterwards.', {
    trigger_pattern: 'rain',
    execution_stage: 'POST_RESPONSE',
  });
  await module('off', 'Never shown.', { trigger_pattern: 'rain', is_active: false });
  await module('other', 'About trains.', { trigger_pattern: 'train' });
  await chat('ada', { message: 'Will it RAIN tomorrow?' });
  expect(system(0)[0]).toBe('Mention the forecast.');
  await chat('ada', { message: 'Hello there' });
  expect(system(1).filter((content) => content.includes('forecast'))).toEqual([]);
  expect(triggerMatches('rain|forecast', 'a sunny day')).toBe(false);
});

// Stages 4–5: after the reply, the after-reply modules the message triggered run, and what they did
// is kept on the assistant message.

it('runs triggered after-reply modules once the reply is complete and keeps their reports on the message', async () => {
  const { engine, chat } = setup();
  await engine.modules.create(
    {
      name: 'recap',
      type: 'simple',
      content: 'Asked: ${message} / answered: ${response}',
      trigger_pattern: 'weather',
      execution_stage: 'POST_RESPONSE',
      is_active: true,
    },
    'ada',
  );
  await engine.modules.create(
    {
      name: 'counter',
      type: 'advanced',
      content: '${words} words',
      script: 'ctx.set_output("words", ctx.get_variable("response").split(" ").length)',
      trigger_pattern: 'weather',
      execution_stage: 'POST_RESPONSE',
      is_active: true,
    },
    'ada',
  );
  await engine.modules.create(
    {
      name: 'quiet',
      type: 'simple',
      content: 'Not this turn.',
      trigger_pattern: 'trains',
      execution_stage: 'POST_RESPONSE',
      is_active: true,
    },
    'ada',
  );
  const answer = await chat('ada', { message: 'How is the weather?' });
  expect(answer.response).toBe('Arr.');
  const message = await engine.conversations.getMessage('ada', answer.message_id);
  const kept = message.extra_data?.post_response as { modules: Record<string, unknown>[] };
  expect(
    kept.modules.map(({ name, stage, status, text, outputs, error }) => ({
      name,
      stage,
      status,
      text,
      outputs,
      error,
    })),
  ).toEqual([
    {
      name: 'recap',
      stage: 'post_response',
      status: 'completed',
      text: 'Asked: How is the weather? / answered: Arr.',
      outputs: {},
      error: null,
    },
    {
      name: 'counter',
      stage: 'post_response',
      status: 'completed',
      text: '1 words',
      outputs: { words: 1 },
      error: null,
    },
  ]);
  expect(message.content).toBe('Arr.');
});

it('reports a failing after-reply module with its stage and error, and keeps the reply', async () => {
  const { engine, chat } = setup();
  await engine.modules.create(
    {
      name: 'broken',
      type: 'advanced',
      content: '${x}',
      script: 'throw new Error("no luck")',
      trigger_pattern: 'hello',
      execution_stage: 'POST_RESPONSE',
      is_active: true,
    },
    'ada',
  );
  await engine.modules.create(
    {
      name: 'after',
      type: 'simple',
      content: 'still ran',
      trigger_pattern: 'hello',
      execution_stage: 'post_response',
      is_active: true,
    },
    'ada',
  );
  const answer = await chat('ada', { message: 'Hello' });
  expect(answer.response).toBe('Arr.');
  const message = await engine.conversations.getMessage('ada', answer.message_id);
  const kept = message.extra_data?.post_response as { modules: Record<string, unknown>[] };
  expect(kept.modules.map(({ name, stage, status, error }) => ({ name, stage, status, error }))).toEqual([
    { name: 'broken', stage: 'post_response', status: 'failed', error: 'runtime: Error: no luck' },
    { name: 'after', stage: 'post_response', status: 'completed', error: null },
  ]);
  expect(message.content).toBe('Arr.');
});

it('runs after-reply modules on the ChatKit door too, and sends their reports as a frame after done on the streams', async () => {
  const { engine } = setup();
  await engine.modules.create(
    {
      name: 'recap',
      type: 'simple',
      content: 'Answered: ${response}',
      trigger_pattern: 'ship',
      execution_stage: 'POST_RESPONSE',
      is_active: true,
    },
    'ada',
  );
  const ctx = { userId: 'ada', baseUrl: 'http://localhost', signal: new AbortController().signal };
  const result = await engine.chatkit.process(
    {
      type: 'threads.create',
      params: {
        input: {
          content: [{ type: 'input_text', text: 'Where is the ship?' }],
          attachments: [],
          inference_options: {},
        },
      },
    } as never,
    ctx,
  );
  if (result.kind !== 'stream') throw new Error('expected a stream');
  let replyId = '';
  for await (const event of result.events) {
    if (event.type === 'thread.item.done' && event.item.type === 'assistant_message') replyId = event.item.id;
  }
  const viaChatKit = await engine.conversations.getMessage('ada', replyId);
  expect(
    (viaChatKit.extra_data as { post_response: { modules: { text: string }[] } }).post_response.modules[0]
      ?.text,
  ).toBe('Answered: Arr.');

  const live = await engine.chat.start({
    userId: 'ada',
    baseUrl: 'http://localhost',
    text: 'The ship sails',
  });
  const frames: string[] = [];
  await new Promise<void>((resolve) =>
    live.listen(0, (frame) => {
      if (frame === 'end') resolve();
      else
        frames.push(
          frame.frame.type === 'post_response'
            ? `post_response:${frame.frame.modules.map((module) => module.text).join()}`
            : frame.frame.type,
        );
    }),
  );
  expect(frames).toEqual(['start', 'chunk', 'done', 'post_response:Answered: Arr.']);
});
