import { expect, it } from 'vitest';
import { type BusMessage, compareIds, createInProcessEventBus } from './events.js';

it('delivers a message to every subscriber of its topic, in order, and to no other topic', async () => {
  const bus = createInProcessEventBus();
  const seen: string[] = [];
  await bus.subscribe<{ n: number }>('a', (message) => seen.push(`first ${message.data.n}`));
  await bus.subscribe<{ n: number }>('a', (message) => seen.push(`second ${message.data.n}`));
  await bus.subscribe('b', () => seen.push('b'));
  const id = await bus.publish('a', { n: 1 });
  expect(seen).toEqual(['first 1', 'second 1']);
  expect(id).toMatch(/^\d+-\d+$/);
});

it('stops delivering once unsubscribed, and keeps delivering when a listener throws', async () => {
  const errors: unknown[] = [];
  const bus = createInProcessEventBus({ onError: (error) => errors.push(error) });
  const seen: number[] = [];
  await bus.subscribe('a', () => {
    throw new Error('listener failed');
  });
  const stop = await bus.subscribe<number>('a', (message) => seen.push(message.data));
  await bus.publish('a', 1);
  stop();
  await bus.publish('a', 2);
  expect(seen).toEqual([1]);
  expect(errors.map((error) => (error as Error).message)).toEqual(['listener failed', 'listener failed']);
});

it('replays what a subscriber missed after an id, then the live messages, none twice', async () => {
  const bus = createInProcessEventBus({ retain: 3 });
  const ids: string[] = [];
  for (let n = 1; n <= 5; n++) ids.push(await bus.publish('a', n));
  expect([...ids].sort(compareIds)).toEqual(ids);
  const seen: BusMessage<number>[] = [];
  await bus.subscribe<number>('a', (message) => seen.push(message), { after: ids[2] });
  await bus.publish('a', 6);
  // Only the last three were kept: 3 is gone, 4 and 5 replay, 6 arrives live.
  expect(seen.map((message) => message.data)).toEqual([4, 5, 6]);
});

it('forgets a topic nobody published to for longer than its time to live, as Redis expires its stream', async () => {
  let now = 1_000_000;
  const bus = createInProcessEventBus({ ttlMs: 60_000, now: () => now });
  const first = await bus.publish('old', { n: 1 });
  await bus.publish('old', { n: 2 });
  now += 30_000;
  const fresh = await bus.publish('fresh', { n: 1 });
  now += 40_000;
  // `old` was last published 70 s ago: the next publish anywhere forgets it; `fresh` (40 s) stays.
  await bus.publish('fresh', { n: 2 });
  const replayed: unknown[] = [];
  await bus.subscribe('old', (message) => replayed.push(message.data), { after: first });
  await bus.subscribe('fresh', (message) => replayed.push(message.data), { after: fresh });
  expect(replayed).toEqual([{ n: 2 }]);
});

it('keeps at most retainTotal messages across topics, forgetting the topics published to longest ago first', async () => {
  const bus = createInProcessEventBus({ retain: 10, retainTotal: 5 });
  const replay = async (topic: string) => {
    const seen: unknown[] = [];
    const stop = await bus.subscribe(topic, (message) => seen.push(message.data), { after: '0-0' });
    stop();
    return seen;
  };
  await bus.publish('a', 'a1');
  await bus.publish('a', 'a2');
  await bus.publish('b', 'b1');
  await bus.publish('c', 'c1');
  await bus.publish('b', 'b2');
  expect([await replay('a'), await replay('b'), await replay('c')]).toEqual([
    ['a1', 'a2'],
    ['b1', 'b2'],
    ['c1'],
  ]);
  // A sixth message: `a`, published to longest ago, is forgotten whole; `c` and `b` stay.
  await bus.publish('c', 'c2');
  expect([await replay('a'), await replay('b'), await replay('c')]).toEqual([[], ['b1', 'b2'], ['c1', 'c2']]);
  // A topic alone over the total keeps what it may: the one just published is never the one forgotten.
  for (let n = 3; n <= 8; n++) await bus.publish('c', `c${n}`);
  expect(await replay('b')).toEqual([]);
  expect(await replay('c')).toEqual(['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8']);
});

it('delivers a message published without replay to live subscribers only, and keeps it for nobody', async () => {
  const bus = createInProcessEventBus();
  const live: unknown[] = [];
  await bus.subscribe('a', (message) => live.push(message.data));
  const first = await bus.publish('a', 'kept');
  const second = await bus.publish('a', 'live only', { replay: false });
  await bus.publish('a', 'kept too');
  expect(live).toEqual(['kept', 'live only', 'kept too']);
  expect(compareIds(first, second)).toBeLessThan(0);
  const replayed: unknown[] = [];
  await bus.subscribe('a', (message) => replayed.push(message.data), { after: '0-0' });
  expect(replayed).toEqual(['kept', 'kept too']);
});
