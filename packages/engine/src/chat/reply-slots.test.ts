import { expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { ReplySlots, releasingAfter } from './reply-slots.js';

const refusal = (take: () => unknown): HttpError => {
  try {
    take();
  } catch (error) {
    if (error instanceof HttpError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
};

it('counts replies in all and per user, and frees a slot once however often it is given back', () => {
  const slots = new ReplySlots({ maxReplies: 3, maxRepliesPerUser: 2, retryAfterSeconds: 2 });
  const a1 = slots.acquire('ada');
  slots.acquire('ada');
  const user = refusal(() => slots.acquire('ada'));
  expect([user.status, user.code, user.details, user.headers]).toEqual([
    503,
    'SERVICE_UNAVAILABLE',
    { limit: 'user' },
    { 'Retry-After': '2', 'retry-after-ms': '2000' },
  ]);
  slots.acquire('bob');
  expect(refusal(() => slots.acquire('cy')).details).toEqual({ limit: 'process' });
  expect(slots.running).toBe(3);
  a1();
  a1();
  expect(slots.running).toBe(2);
  slots.acquire('ada');
  expect(refusal(() => slots.acquire('cy')).details).toEqual({ limit: 'process' });
});

it('has no limit at 0', () => {
  const slots = new ReplySlots({ maxReplies: 0, maxRepliesPerUser: 0 });
  for (let i = 0; i < 1000; i++) slots.acquire('ada');
  expect(slots.running).toBe(1000);
});

it('gives the slot back when the events end, fail or are abandoned', async () => {
  const slots = new ReplySlots({ maxReplies: 0, maxRepliesPerUser: 1 });
  async function* events(fail: boolean) {
    yield 1;
    yield 2;
    if (fail) throw new Error('broken');
  }
  const read = async (fail: boolean, take: number) => {
    const seen: number[] = [];
    for await (const value of releasingAfter(events(fail), slots.acquire('ada'))) {
      seen.push(value);
      if (seen.length === take) break;
    }
    return seen;
  };
  expect(await read(false, 5)).toEqual([1, 2]);
  await expect(read(true, 5)).rejects.toThrow('broken');
  expect(await read(false, 1)).toEqual([1]);
  expect(slots.running).toBe(0);
});
