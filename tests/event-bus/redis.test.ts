import { createServer } from 'node:net';
import type { BusMessage, EventBus } from '@cartrita/engine';
import { createClient } from 'redis';
import { describe, expect, it, onTestFinished } from 'vitest';
import { createEventBus } from '../../reference-server/src/events/index.js';
import {
  createRedisEventBus,
  type RedisEventBusOptions,
} from '../../reference-server/src/events/redis-event-bus.js';
import { type RecordingLogger, recordingLogger } from '../recording-logger.js';
import { startRedisServer } from '../redis.js';
import { testRedisUrl, uniquePrefix } from '../redis-url.js';
import { startTcpGate } from '../tcp-gate.js';
import { eventBusConformance } from './conformance.js';

const listenerThrew = 'An event bus listener threw; delivery goes on';

/** Opens a Redis bus closed when the test finishes. */
const openBus = async (options: Partial<RedisEventBusOptions> & { prefix: string }): Promise<EventBus> => {
  const bus = await createRedisEventBus({ url: testRedisUrl(), logger: recordingLogger(), ...options });
  onTestFinished(() => bus.close());
  return bus;
};

/** A client of its own on `url` for the test to look at Redis with, closed when the test finishes. */
const inspector = async (url: string) => {
  const client = createClient({ url });
  client.on('error', () => {});
  await client.connect();
  onTestFinished(() => client.destroy());
  return client;
};

/** A throwaway Redis of this test's own, for tests that cut connections. */
const ownRedis = async () => {
  const redis = await startRedisServer();
  onTestFinished(() => redis.stop());
  return redis;
};

/** Waits until `done()` holds, failing after a generous deadline. */
const until = async (done: () => boolean | Promise<boolean>, what: string): Promise<void> => {
  const deadline = Date.now() + 10_000;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
};

/** The ids of the connections named `name`. */
const connectionIds = async (client: Awaited<ReturnType<typeof inspector>>, name: string) => {
  const list = String(await client.sendCommand(['CLIENT', 'LIST']));
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /^id=(\d+)/.exec(line)?.[1] as string);
};

describe.each([
  { pairing: 'two instances (as two servers would have)', instances: 2 },
  { pairing: 'one instance', instances: 1 },
])('the Redis bus, publishing and subscribing on $pairing', ({ instances }) => {
  eventBusConformance(async (options = {}) => {
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const subscriber = await createRedisEventBus({ url: testRedisUrl(), logger, prefix, ...options });
    onTestFinished(() => subscriber.close());
    const publisher = instances === 2 ? await openBus({ prefix, ...options }) : subscriber;
    const reported = () =>
      logger.entries.filter((entry) => entry.message === listenerThrew).map((entry) => entry.fields.err);
    return { publisher, subscriber, reported };
  });
});

describe('the Redis bus', () => {
  it('gives every instance the same order of a topic when two instances publish to it at once', async () => {
    const prefix = uniquePrefix();
    const [one, two] = [await openBus({ prefix }), await openBus({ prefix })];
    const topic = 'session:sess_both';
    const seenOnOne: BusMessage<string>[] = [];
    const seenOnTwo: BusMessage<string>[] = [];
    await one.subscribe<string>(topic, (message) => seenOnOne.push(message));
    await two.subscribe<string>(topic, (message) => seenOnTwo.push(message));
    const publishing = (bus: EventBus, name: string) =>
      Promise.all(Array.from({ length: 100 }, (_, n) => bus.publish(topic, `${name} ${n}`)));
    const [fromOne, fromTwo] = await Promise.all([publishing(one, 'one'), publishing(two, 'two')]);
    await until(() => seenOnOne.length === 200 && seenOnTwo.length === 200, '200 messages on each instance');
    const stream = await (await inspector(testRedisUrl())).xRange(`${prefix}${topic}`, '-', '+');
    const order = (stream ?? []).map((entry) => entry.id);
    expect(order).toHaveLength(200);
    expect(seenOnOne.map((message) => message.id)).toEqual(order);
    expect(seenOnTwo.map((message) => message.id)).toEqual(order);
    expect(new Set(order)).toEqual(new Set([...fromOne, ...fromTwo]));
  });

  it('keeps each topic in a stream under its prefix, capped and expiring a day after its last message', async () => {
    const prefix = uniquePrefix();
    const bus = await openBus({ prefix, retain: 10 });
    for (let n = 0; n < 250; n++) await bus.publish('session:sess_kept', n);
    const redis = await inspector(testRedisUrl());
    const key = `${prefix}session:sess_kept`;
    const length = await redis.xLen(key);
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThan(250);
    const ttl = await redis.ttl(key);
    expect(ttl).toBeGreaterThan(86_300);
    expect(ttl).toBeLessThanOrEqual(86_400);
    const shortLived = await openBus({ prefix, ttlSeconds: 60 });
    await shortLived.publish('session:sess_kept', 'renewed');
    expect(await redis.ttl(key)).toBeLessThanOrEqual(60);
  });

  it('reports a lost connection, reconnects, and catches up on what was published meanwhile', async () => {
    const redis = await ownRedis();
    const gate = await startTcpGate(redis.port);
    onTestFinished(() => gate.close());
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const subscriber = await createRedisEventBus({ url: `redis://127.0.0.1:${gate.port}`, logger, prefix });
    onTestFinished(() => subscriber.close());
    const publisher = await openBus({ url: redis.url, prefix });
    const seen: BusMessage<number>[] = [];
    await subscriber.subscribe<number>('session:sess_cut', (message) => seen.push(message));
    const published = [await publisher.publish('session:sess_cut', 1)];
    await until(() => seen.length === 1, 'the first message');

    await gate.shut();
    await until(() => lostConnection(logger).length === 2, 'both losses to be reported');
    // Published while the subscriber's instance cannot reach Redis: only the stream has them.
    for (let n = 2; n <= 20; n++) published.push(await publisher.publish('session:sess_cut', n));
    expect(seen).toHaveLength(1);
    await gate.open();
    await until(() => seen.length === 20, 'the messages published during the outage');
    published.push(await publisher.publish('session:sess_cut', 21));
    await until(() => seen.length === 21, 'a live message after the outage');
    expect(seen.map((message) => message.data)).toEqual(Array.from({ length: 21 }, (_, n) => n + 1));
    expect(seen.map((message) => message.id)).toEqual(published);
    expect(lostConnection(logger).sort()).toEqual([
      "Lost the Redis connection of the event bus's subscriptions; reconnecting (subscribers catch up from the streams once it is back)",
      'Lost the Redis connection of the event bus; reconnecting (publishes wait for it)',
    ]);
    await until(() => logger.messages('info').length === 2, 'both returns to be reported');
    expect(logger.messages('info').sort()).toEqual([
      'The Redis connection of the event bus is back',
      "The Redis connection of the event bus's subscriptions is back",
    ]);
    expect(JSON.stringify(logger.entries)).toContain(`"redis":"redis://127.0.0.1:${gate.port}"`);
  });

  it('holds publishes while Redis is unreachable, and sends them in order once it is back', async () => {
    const redis = await ownRedis();
    const gate = await startTcpGate(redis.port);
    onTestFinished(() => gate.close());
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const publisher = await createRedisEventBus({ url: `redis://127.0.0.1:${gate.port}`, logger, prefix });
    onTestFinished(() => publisher.close());
    const subscriber = await openBus({ url: redis.url, prefix });
    const seen: number[] = [];
    await subscriber.subscribe<number>('session:sess_held', (message) => seen.push(message.data));

    await gate.shut();
    await until(() => lostConnection(logger).length === 2, 'the losses to be reported');
    let settled = 0;
    const publishing = [1, 2, 3].map((n) =>
      publisher.publish('session:sess_held', n).finally(() => {
        settled += 1;
      }),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect([settled, seen]).toEqual([0, []]);
    await gate.open();
    const ids = await Promise.all(publishing);
    await until(() => seen.length === 3, 'the held messages');
    expect(seen).toEqual([1, 2, 3]);
    expect(ids.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
  });

  it('gives up on a publish that waited publishWaitMs for Redis, and never sends it', async () => {
    const redis = await ownRedis();
    const gate = await startTcpGate(redis.port);
    onTestFinished(() => gate.close());
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const bus = await createRedisEventBus({
      url: `redis://127.0.0.1:${gate.port}`,
      logger,
      prefix,
      publishWaitMs: 200,
    });
    onTestFinished(() => bus.close());
    await bus.publish('session:sess_late', 'before');
    await gate.shut();
    await until(() => lostConnection(logger).length === 2, 'the losses to be reported');
    await expect(bus.publish('session:sess_late', 'during')).rejects.toThrow('Command timed out after 200ms');
    await gate.open();
    await until(() => logger.messages('info').length === 2, 'both connections to be back');
    await bus.publish('session:sess_late', 'after');
    const stream = (await (await inspector(redis.url)).xRange(`${prefix}session:sess_late`, '-', '+')) ?? [];
    expect(stream.map((entry) => JSON.parse(String(entry.message.d)))).toEqual(['before', 'after']);
  });

  it('loads its publish script again when Redis has forgotten it, as after a restart', async () => {
    const redis = await ownRedis();
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const bus = await createRedisEventBus({ url: redis.url, logger, prefix });
    onTestFinished(() => bus.close());
    const seen: number[] = [];
    await bus.subscribe<number>('session:sess_restart', (message) => seen.push(message.data));
    await bus.publish('session:sess_restart', 1);
    await until(() => seen.length === 1, 'the first message');
    const admin = await inspector(redis.url);
    await admin.scriptFlush();
    await bus.publish('session:sess_restart', 2);
    await until(() => seen.length === 2, 'the message after the flush');
    expect(seen).toEqual([1, 2]);
  });

  it('closes both of its connections', async () => {
    const redis = await ownRedis();
    const admin = await inspector(redis.url);
    const bus = await createRedisEventBus({
      url: redis.url,
      logger: recordingLogger(),
      prefix: uniquePrefix(),
    });
    await bus.subscribe('session:sess_open', () => {});
    expect(await connectionIds(admin, 'cartrita:events')).toHaveLength(1);
    expect(await connectionIds(admin, 'cartrita:events:subscriptions')).toHaveLength(1);
    await bus.close();
    // Redis drops a connection from its list once it has read the close.
    await until(
      async () =>
        (await connectionIds(admin, 'cartrita:events')).length +
          (await connectionIds(admin, 'cartrita:events:subscriptions')).length ===
        0,
      'both connections to be gone',
    );
  });

  it('closes while Redis is unreachable, refusing what was waiting for it', async () => {
    const redis = await ownRedis();
    const gate = await startTcpGate(redis.port);
    onTestFinished(() => gate.close());
    const logger = recordingLogger();
    const bus = await createRedisEventBus({
      url: `redis://127.0.0.1:${gate.port}`,
      logger,
      prefix: uniquePrefix(),
    });
    await bus.subscribe('session:sess_away', () => {});
    await gate.shut();
    await until(() => lostConnection(logger).length === 2, 'the losses to be reported');
    const waiting = bus.publish('session:sess_away', 'never sent');
    await bus.close();
    await expect(waiting).rejects.toThrow();
    await expect(bus.publish('session:sess_away', 'after')).rejects.toThrow('The event bus is closed');
  });

  it('ignores a message on its channels that it did not write, and goes on', async () => {
    const prefix = uniquePrefix();
    const logger = recordingLogger();
    const bus = await createRedisEventBus({ url: testRedisUrl(), logger, prefix });
    onTestFinished(() => bus.close());
    const seen: string[] = [];
    await bus.subscribe<string>('session:sess_foreign', (message) => seen.push(message.data));
    const other = await inspector(testRedisUrl());
    await other.publish(`${prefix}session:sess_foreign`, 'not json at all');
    await bus.publish('session:sess_foreign', 'ours');
    await until(() => seen.length === 1, 'our message');
    expect(seen).toEqual(['ours']);
    expect(logger.messages('warn')).toEqual(['The event bus ignored a message it could not read']);
  });

  it('fails to open when Redis does not answer, naming the address without its password', async () => {
    const port = await closedPort();
    const logger = recordingLogger();
    const opening = createRedisEventBus({
      url: `redis://:hunter2-secret@127.0.0.1:${port}`,
      logger,
      connectTimeoutMs: 300,
    });
    const error = await opening.then(
      () => undefined,
      (reason: unknown) => reason as Error,
    );
    expect(error?.message).toMatch(
      new RegExp(
        `^Redis at redis://:REDACTED@127\\.0\\.0\\.1:${port} did not answer within 300 ms for the event bus: connect ECONNREFUSED`,
      ),
    );
    expect(JSON.stringify(logger.entries)).not.toContain('hunter2');
  });

  it('refuses settings it cannot keep', async () => {
    for (const options of [{ retain: 0 }, { retain: 1.5 }, { ttlSeconds: 0 }]) {
      await expect(
        createRedisEventBus({ url: testRedisUrl(), logger: recordingLogger(), ...options }),
      ).rejects.toThrow(TypeError);
    }
  });
});

describe('createEventBus', () => {
  it('makes the in-process bus without a Redis URL, reporting throwing listeners to the logger', async () => {
    const logger = recordingLogger();
    const bus = await createEventBus({ logger, retain: 2 });
    onTestFinished(() => bus.close());
    const seen: number[] = [];
    await bus.subscribe<number>('t', () => {
      throw new Error('boom');
    });
    await bus.subscribe<number>('t', (message) => seen.push(message.data));
    // Synchronous delivery: this is the in-process bus.
    const ids = [await bus.publish('t', 1), await bus.publish('t', 2), await bus.publish('t', 3)];
    expect(seen).toEqual([1, 2, 3]);
    expect(logger.messages('error')).toEqual([listenerThrew, listenerThrew, listenerThrew]);
    const replayed: number[] = [];
    await bus.subscribe<number>('t', (message) => replayed.push(message.data), { after: ids[0] });
    expect(replayed).toEqual([2, 3]);
  });

  it('makes a bus shared through Redis with a Redis URL', async () => {
    const prefix = uniquePrefix();
    const one = await createEventBus({ redisUrl: testRedisUrl(), logger: recordingLogger(), prefix });
    const two = await createEventBus({ redisUrl: testRedisUrl(), logger: recordingLogger(), prefix });
    onTestFinished(async () => {
      await one.close();
      await two.close();
    });
    const seen: string[] = [];
    await two.subscribe<string>('session:sess_shared', (message) => seen.push(message.data));
    await one.publish('session:sess_shared', 'from one');
    await until(() => seen.length === 1, 'the message from the other instance');
    expect(seen).toEqual(['from one']);
  });
});

const lostConnection = (logger: RecordingLogger) =>
  logger.messages('warn').filter((message) => message.startsWith('Lost the Redis connection'));

/** A port of 127.0.0.1 that nothing listens on. */
const closedPort = async (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
