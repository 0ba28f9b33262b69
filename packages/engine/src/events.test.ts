import { expect, it } from 'vitest';
import { createInProcessEventBus } from './events.js';

it('delivers an event to every subscriber of its topic, in order, and to no other topic', async () => {
  const bus = createInProcessEventBus();
  const seen: string[] = [];
  bus.subscribe<{ n: number }>('a', (event) => seen.push(`first ${event.n}`));
  bus.subscribe<{ n: number }>('a', (event) => seen.push(`second ${event.n}`));
  bus.subscribe('b', () => seen.push('b'));
  await bus.publish('a', { n: 1 });
  expect(seen).toEqual(['first 1', 'second 1']);
});

it('stops delivering once unsubscribed, and keeps delivering when a listener throws', async () => {
  const errors: unknown[] = [];
  const bus = createInProcessEventBus((error) => errors.push(error));
  const seen: number[] = [];
  bus.subscribe('a', () => {
    throw new Error('listener failed');
  });
  const stop = bus.subscribe<number>('a', (n) => seen.push(n));
  await bus.publish('a', 1);
  stop();
  await bus.publish('a', 2);
  expect(seen).toEqual([1]);
  expect(errors.map((error) => (error as Error).message)).toEqual(['listener failed', 'listener failed']);
});
