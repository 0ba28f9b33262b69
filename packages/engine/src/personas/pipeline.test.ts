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
