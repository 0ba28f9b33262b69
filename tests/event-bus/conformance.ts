/**
 * @module The rules every event bus keeps, as test cases to run on each implementation: call
 * {@link eventBusConformance} inside a `describe` with a function that opens the buses under test.
 * The cases publish on one bus and subscribe on another, which for a shared bus are two instances
 * (two servers), and for the in-process bus the same one.
 */
import { type BusMessage, compareIds, type EventBus, isBusId } from '@cartrita/engine';
import { expect, it } from 'vitest';

/** What the cases run on. */
export interface BusPair {
  /** The bus the cases publish on. */
  publisher: EventBus;
  /** The bus the cases subscribe on: another instance of a shared bus, or the same bus. */
  subscriber: EventBus;
  /** The listener errors the subscriber's bus reported so far. */
  reported(): unknown[];
}

/** Opens the buses for one test (and closes them when it finishes), each keeping `retain` messages per topic. */
export type OpenBuses = (options?: { retain?: number }) => Promise<BusPair>;

/** How long a case waits for deliveries before it fails; far above what any of them takes. */
const deadlineMs = 10_000;

let topicCount = 0;
/** A topic no other case uses. */
const freshTopic = (name: string) => `conformance:${process.pid}:${Date.now()}:${++topicCount}:${name}`;

/** Subscribes a listener that records what it gets, and waits for a count of messages. */
const record = async <T = unknown>(bus: EventBus, topic: string, after?: string) => {
  const seen: BusMessage<T>[] = [];
  const stop = await bus.subscribe<T>(
    topic,
    (message) => {
      seen.push(message);
    },
    after === undefined ? {} : { after },
  );
  return {
    seen,
    stop,
    until: (count: number) => until(() => seen.length >= count, `${count} messages on ${topic}`),
  };
};

/** Waits until `done()` holds, or fails after the deadline saying what it waited for. */
const until = async (done: () => boolean, what: string): Promise<void> => {
  const deadline = Date.now() + deadlineMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

const ids = (messages: readonly BusMessage[]) => messages.map((message) => message.id);
const data = <T>(messages: readonly BusMessage<T>[]) => messages.map((message) => message.data);

/** Publishes `values` in turn and resolves their ids. */
const publishAll = async (bus: EventBus, topic: string, values: readonly unknown[]): Promise<string[]> => {
  const published: string[] = [];
  for (const value of values) published.push(await bus.publish(topic, value));
  return published;
};

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

/** Defines the conformance cases in the calling `describe`. */
export function eventBusConformance(open: OpenBuses): void {
  it('delivers a topic in the order of publication, with the ids publish resolved', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('order');
    const listener = await record<number>(subscriber, topic);
    const published = await publishAll(publisher, topic, range(1, 50));
    await listener.until(50);
    expect(data(listener.seen)).toEqual(range(1, 50));
    expect(ids(listener.seen)).toEqual(published);
    expect(published.every(isBusId)).toBe(true);
    expect([...published].sort(compareIds)).toEqual(published);
    expect(new Set(published).size).toBe(50);
    expect(listener.seen.every((message) => message.topic === topic)).toBe(true);
  });

  it('carries any JSON value whole', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('json');
    const values = [
      { type: 'item.added', item: { id: 'msg_1', text: 'two words\nand a line, "quoted" ✓ 🦜' } },
      'a string with spaces',
      0,
      null,
      [1, [2, { three: true }]],
    ];
    const listener = await record(subscriber, topic);
    await publishAll(publisher, topic, values);
    await listener.until(values.length);
    expect(data(listener.seen)).toEqual(values);
  });

  it('keeps topics apart', async () => {
    const { publisher, subscriber } = await open();
    const [a, b] = [freshTopic('a'), freshTopic('b')];
    const onA = await record<string>(subscriber, a);
    const onB = await record<string>(subscriber, b);
    await publisher.publish(a, 'a1');
    await publisher.publish(b, 'b1');
    await publisher.publish(a, 'a2');
    await onA.until(2);
    await onB.until(1);
    expect(data(onA.seen)).toEqual(['a1', 'a2']);
    expect(data(onB.seen)).toEqual(['b1']);
  });

  it('gives a subscriber without `after` only what is published after it subscribed', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('fresh');
    await publishAll(publisher, topic, [1, 2]);
    const listener = await record<number>(subscriber, topic);
    await publisher.publish(topic, 3);
    await listener.until(1);
    expect(data(listener.seen)).toEqual([3]);
  });

  it('replays what was published after `after`, then goes on live', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('replay');
    const published = await publishAll(publisher, topic, range(1, 5));
    const listener = await record<number>(subscriber, topic, published[1]);
    // The replay is done when subscribe resolves.
    expect(data(listener.seen)).toEqual([3, 4, 5]);
    published.push(await publisher.publish(topic, 6));
    await listener.until(4);
    expect(data(listener.seen)).toEqual([3, 4, 5, 6]);
    expect(ids(listener.seen)).toEqual(published.slice(2));
  });

  it('replays nothing after the last id, and everything after an id older than the topic', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('edges');
    const published = await publishAll(publisher, topic, [1, 2, 3]);
    const fromLast = await record<number>(subscriber, topic, published[2]);
    const fromStart = await record<number>(subscriber, topic, '0-0');
    expect(data(fromLast.seen)).toEqual([]);
    expect(data(fromStart.seen)).toEqual([1, 2, 3]);
    const unknown = await record<number>(subscriber, freshTopic('never-published'), published[0]);
    expect(unknown.seen).toEqual([]);
  });

  it('replays what it still keeps after an id older than that, newest last, then goes on live', async () => {
    const { publisher, subscriber } = await open({ retain: 10 });
    const topic = freshTopic('retained');
    const published = await publishAll(publisher, topic, range(1, 300));
    const listener = await record<number>(subscriber, topic, published[0]);
    const kept = listener.seen.length;
    // At least `retain`, fewer than all: a shared bus may trim in blocks, never below the cap.
    expect(kept).toBeGreaterThanOrEqual(10);
    expect(kept).toBeLessThan(299);
    expect(data(listener.seen)).toEqual(range(301 - kept, 300));
    expect(ids(listener.seen)).toEqual(published.slice(-kept));
    await publisher.publish(topic, 301);
    await listener.until(kept + 1);
    expect(listener.seen.at(-1)?.data).toBe(301);
  });

  it('misses nothing and repeats nothing when messages are published while a subscriber replays', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('race');
    const before = await publishAll(publisher, topic, range(1, 200));
    let listener: Awaited<ReturnType<typeof record<number>>> | undefined;
    const [, during] = await Promise.all([
      record<number>(subscriber, topic, before[0]).then((subscribed) => {
        listener = subscribed;
      }),
      publishAll(publisher, topic, range(201, 400)),
    ]);
    const after = await publishAll(publisher, topic, range(401, 410));
    const all = [...before, ...during, ...after];
    await listener?.until(409);
    expect(listener && data(listener.seen)).toEqual(range(2, 410));
    expect(listener && ids(listener.seen)).toEqual(all.slice(1));
  });

  it('gives a subscriber that joins while others publish an unbroken run up to the end', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('join');
    let listener: Awaited<ReturnType<typeof record<number>>> | undefined;
    const [published] = await Promise.all([
      publishAll(publisher, topic, range(1, 200)),
      record<number>(subscriber, topic).then((subscribed) => {
        listener = subscribed;
      }),
    ]);
    const last = await publisher.publish(topic, 201);
    published.push(last);
    await until(() => listener?.seen.at(-1)?.id === last, 'the last message');
    const seen = listener ? ids(listener.seen) : [];
    // Wherever it joined, from there on it has every message once, in order.
    const start = published.indexOf(seen[0] as string);
    expect(start).toBeGreaterThanOrEqual(0);
    expect(seen).toEqual(published.slice(start));
  });

  it('stops delivering to a subscriber that unsubscribed, and only to it', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('stop');
    const leaving = await record<number>(subscriber, topic);
    const staying = await record<number>(subscriber, topic);
    await publisher.publish(topic, 1);
    await leaving.until(1);
    leaving.stop();
    leaving.stop();
    await publisher.publish(topic, 2);
    await publisher.publish(topic, 3);
    await staying.until(3);
    expect(data(leaving.seen)).toEqual([1]);
    expect(data(staying.seen)).toEqual([1, 2, 3]);
    // A new subscription to the topic works after the last one left.
    staying.stop();
    const again = await record<number>(subscriber, topic);
    await publisher.publish(topic, 4);
    await again.until(1);
    expect(data(again.seen)).toEqual([4]);
  });

  it('counts one listener subscribed twice as two subscriptions', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('twice');
    const seen: number[] = [];
    const listener = (message: BusMessage<number>) => {
      seen.push(message.data);
    };
    const first = await subscriber.subscribe(topic, listener);
    await subscriber.subscribe(topic, listener);
    await publisher.publish(topic, 1);
    await until(() => seen.length === 2, 'two deliveries');
    first();
    await publisher.publish(topic, 2);
    await until(() => seen.length === 3, 'a third delivery');
    expect(seen).toEqual([1, 1, 2]);
  });

  it('goes on delivering, to the others and to itself, when a listener throws, and reports each throw', async () => {
    const { publisher, subscriber, reported } = await open();
    const topic = freshTopic('throws');
    await publisher.publish(topic, 0);
    let calls = 0;
    const thrower = (message: BusMessage<number>) => {
      calls += 1;
      throw new Error(`listener failed on ${message.data}`);
    };
    // It throws during the replay as well: subscribe still resolves.
    await subscriber.subscribe(topic, thrower, { after: '0-0' });
    const calm = await record<number>(subscriber, topic);
    await publishAll(publisher, topic, [1, 2, 3]);
    await calm.until(3);
    await until(() => calls === 4, 'four calls of the throwing listener');
    expect(data(calm.seen)).toEqual([1, 2, 3]);
    await until(() => reported().length === 4, 'four reported errors');
    expect(reported().map((error) => (error as Error).message)).toEqual([
      'listener failed on 0',
      'listener failed on 1',
      'listener failed on 2',
      'listener failed on 3',
    ]);
  });

  it('refuses an `after` that is not a bus id', async () => {
    const { subscriber } = await open();
    for (const after of ['', 'abc', '12', '1-2-3', '-1-0', '1.5-0', '0-0; DROP']) {
      await expect(subscriber.subscribe(freshTopic('bad-after'), () => {}, { after })).rejects.toThrow(
        TypeError,
      );
    }
  });

  it('refuses to publish or subscribe once closed, and stops delivering', async () => {
    const { publisher, subscriber } = await open();
    const topic = freshTopic('closed');
    const listener = await record<number>(subscriber, topic);
    await publisher.publish(topic, 1);
    await listener.until(1);
    await subscriber.close();
    await expect(subscriber.publish(topic, 2)).rejects.toThrow('The event bus is closed');
    await expect(subscriber.subscribe(topic, () => {})).rejects.toThrow('The event bus is closed');
    if (publisher !== subscriber) {
      await publisher.publish(topic, 2);
      await publisher.close();
      await expect(publisher.publish(topic, 3)).rejects.toThrow('The event bus is closed');
    }
    expect(data(listener.seen)).toEqual([1]);
    // Closing twice is harmless.
    await subscriber.close();
  });
}
