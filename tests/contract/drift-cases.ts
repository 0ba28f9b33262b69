/**
 * @module Cases for rules the mocks once kept differently from the server: an unknown `after`
 * cursor, upload types with parameters or in capitals, the thread title, the inference options a
 * message keeps. Each pins the server's answer; the suite then holds the mocks to it.
 */
import {
  Attachment,
  chatKitJsonResults,
  type ThreadStreamEvent,
  type UserMessageItem,
} from '@cartrita/contracts';
import { expect } from 'vitest';
import type { ContractCase, ContractTarget } from './cases.js';
import { readEvents, readJson } from './wire.js';

const png = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const post = (target: ContractTarget, secret: string, body: unknown) =>
  target.fetch(`${target.baseURL}/chatkit`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

const input = (text: string, inference_options: Record<string, unknown> = {}) => ({
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options,
});

/** Starts a thread and returns its events. */
const create = async (
  target: ContractTarget,
  secret: string,
  text: string,
  options?: Record<string, unknown>,
) =>
  readEvents(
    await post(target, secret, { type: 'threads.create', params: { input: input(text, options) } }),
    target.name,
  );

const createdThread = (events: ThreadStreamEvent[]) => {
  const created = events.find((event) => event.type === 'thread.created');
  if (created?.type !== 'thread.created') throw new Error('no thread.created');
  return created.thread;
};

const userMessage = (events: ThreadStreamEvent[]): UserMessageItem => {
  const done = events.find(
    (event) => event.type === 'thread.item.done' && event.item.type === 'user_message',
  );
  if (done?.type !== 'thread.item.done' || done.item.type !== 'user_message')
    throw new Error('no user message');
  return done.item;
};

export const driftCases: readonly ContractCase[] = [
  {
    name: 'an unknown after cursor is an empty page, not an error',
    async run(target) {
      const secret = await target.createSecret();
      const thread = createdThread(await create(target, secret, 'Hello'));
      const threads = await readJson(
        await post(target, secret, { type: 'threads.list', params: { after: 'thr_does_not_exist' } }),
        chatKitJsonResults['threads.list'],
        `${target.name} threads.list after an unknown id`,
      );
      expect(threads).toEqual({ data: [], has_more: false });
      const items = await readJson(
        await post(target, secret, {
          type: 'items.list',
          params: { thread_id: thread.id, after: 'msg_does_not_exist' },
        }),
        chatKitJsonResults['items.list'],
        `${target.name} items.list after an unknown id`,
      );
      expect(items).toEqual({ data: [], has_more: false });
    },
  },
  {
    name: 'upload types are taken by their essence: parameters and capitals change nothing',
    async run(target) {
      const secret = await target.createSecret();
      for (const [type, bytes, name] of [
        ['text/plain; charset=utf-8', Buffer.from('plain words'), 'a.txt'],
        ['IMAGE/PNG', png, 'dot.png'],
      ] as const) {
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(bytes)], { type }), name);
        const uploaded = await readJson(
          await target.fetch(`${target.baseURL}/chatkit/attachments`, {
            method: 'POST',
            headers: { authorization: `Bearer ${secret}` },
            body: form,
          }),
          Attachment,
          `${target.name} upload as ${type}`,
        );
        expect(uploaded.name).toBe(name);
        const declared = await readJson(
          await post(target, secret, {
            type: 'attachments.create',
            params: { name, size: bytes.length, mime_type: type },
          }),
          Attachment,
          `${target.name} attachments.create as ${type}`,
        );
        expect(declared.mime_type).toBe(type);
      }
    },
  },
  {
    name: 'a thread is titled by its first message, cut at a word before 60 characters, and untitled without text',
    async run(target) {
      const secret = await target.createSecret();
      const long = 'Tell me everything about the history of the printing press in Europe and Asia';
      const events = await create(target, secret, long);
      const updated = events.find((event) => event.type === 'thread.updated');
      expect(updated?.type === 'thread.updated' && updated.thread.title).toBe(
        'Tell me everything about the history of the printing press…',
      );
      const blank = await create(target, secret, '   ');
      expect(blank.some((event) => event.type === 'thread.updated')).toBe(false);
      expect(createdThread(blank).title).toBeUndefined();
    },
  },
  {
    name: 'a message keeps every inference option that is not null',
    async run(target) {
      const secret = await target.createSecret();
      const both = userMessage(
        await create(target, secret, 'Both', { model: 'demo-1', tool_choice: { id: 'search' } }),
      );
      expect(both.inference_options).toEqual({ model: 'demo-1', tool_choice: { id: 'search' } });
      const one = userMessage(
        await create(target, secret, 'One', { model: null, tool_choice: { id: 'search' } }),
      );
      expect(one.inference_options).toEqual({ tool_choice: { id: 'search' } });
    },
  },
];
