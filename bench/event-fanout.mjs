// Benchmark: from publish to delivery on the event bus. The in-process bus (one process), then the
// Redis bus across two instances as two servers would run them: the publisher here, the subscriber
// in a worker thread (its own event loop and its own two connections), both on a throwaway
// redis-server started for the run. Per message: latency from the publish call to the subscriber's
// listener, one message at a time, p50 and p99; then a burst with 64 publishes in flight, messages
// per second delivered. Bounded: fixed counts, and the whole run gives up after 120 s.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const LATENCY_MESSAGES = 2_000;
const WARM_UP = 200;
const BURST_MESSAGES = 20_000;
const IN_FLIGHT = 64;
const TOPIC = 'session:sess_bench';

/** Milliseconds on a clock shared by both threads. */
const clock = () => performance.timeOrigin + performance.now();

const microseconds = (value) => `${(value * 1000).toFixed(1)} µs`;

if (isMainThread) {
  const { createInProcessEventBus } = await import('../packages/engine/dist/index.js');
  const { createRedisEventBus } = await import('../reference-server/dist/events/redis-event-bus.js');
  const { startRedisServer } = await import('../tests/redis.ts');
  const { quantile } = await import('./stats.mjs');
  const giveUp = setTimeout(() => {
    console.error('event-fanout: gave up after 120 s');
    process.exit(1);
  }, 120_000);
  const silent = {
    debug() {},
    info() {},
    warn() {},
    error: (fields, message) => console.error(message, fields),
  };
  const report = (name, latencies, burstSeconds) => {
    console.log(name);
    console.log(
      `  publish → delivery, one at a time (${latencies.length} messages): p50 ${microseconds(quantile(latencies, 0.5))}, p99 ${microseconds(quantile(latencies, 0.99))}, max ${microseconds(Math.max(...latencies))}`,
    );
    console.log(
      `  burst of ${BURST_MESSAGES} with ${IN_FLIGHT} in flight: ${Math.round(BURST_MESSAGES / burstSeconds).toLocaleString('en')} messages/s delivered`,
    );
  };

  // In process: delivery is synchronous, inside publish.
  {
    const bus = createInProcessEventBus();
    let deliveredAt = 0;
    await bus.subscribe(TOPIC, () => {
      deliveredAt = performance.now();
    });
    const latencies = [];
    for (let i = 0; i < WARM_UP + LATENCY_MESSAGES; i++) {
      const sentAt = performance.now();
      await bus.publish(TOPIC, { n: i });
      if (i >= WARM_UP) latencies.push(deliveredAt - sentAt);
    }
    let delivered = 0;
    await bus.subscribe(`${TOPIC}:burst`, () => {
      delivered += 1;
    });
    const started = performance.now();
    await burst((n) => bus.publish(`${TOPIC}:burst`, { n }));
    if (delivered !== BURST_MESSAGES) throw new Error(`in-process burst delivered ${delivered}`);
    report('in-process bus', latencies, (performance.now() - started) / 1000);
    await bus.close();
  }

  // Redis: the subscriber is another instance in another thread.
  const redis = await startRedisServer();
  try {
    const publisher = await createRedisEventBus({ url: redis.url, logger: silent });
    const worker = new Worker(new URL(import.meta.url), { workerData: { url: redis.url } });
    const inbox = [];
    const waiting = [];
    worker.on('message', (message) => {
      inbox.push(message);
      for (const wake of waiting.splice(0)) wake();
    });
    worker.once('error', (error) => {
      console.error(error);
      process.exit(1);
    });
    const next = async () => {
      while (inbox.length === 0) await new Promise((resolve) => waiting.push(resolve));
      return inbox.shift();
    };
    if ((await next()).type !== 'subscribed') throw new Error('the worker did not subscribe');

    const latencies = [];
    for (let i = 0; i < WARM_UP + LATENCY_MESSAGES; i++) {
      await publisher.publish(TOPIC, { n: i, sentAt: clock() });
      const { receivedAt, sentAt } = await next();
      if (i >= WARM_UP) latencies.push(receivedAt - sentAt);
    }
    worker.postMessage({ type: 'burst' });
    if ((await next()).type !== 'ready for burst')
      throw new Error('the worker did not subscribe to the burst');
    const started = clock();
    await burst((n) => publisher.publish(`${TOPIC}:burst`, { n }));
    const done = await next();
    if (done.type !== 'burst done' || done.count !== BURST_MESSAGES || !done.inOrder) {
      throw new Error(`the Redis burst went wrong: ${JSON.stringify(done)}`);
    }
    report(
      'Redis bus, two instances (publisher here, subscriber in a worker thread)',
      latencies,
      (done.at - started) / 1000,
    );
    await worker.terminate();
    await publisher.close();
  } finally {
    redis.stop();
    clearTimeout(giveUp);
  }
} else {
  const { createRedisEventBus } = await import('../reference-server/dist/events/redis-event-bus.js');
  const logger = {
    debug() {},
    info() {},
    warn() {},
    error: (fields, message) => console.error(message, fields),
  };
  const bus = await createRedisEventBus({ url: workerData.url, logger });
  await bus.subscribe(TOPIC, (message) => {
    parentPort.postMessage({ receivedAt: clock(), sentAt: message.data.sentAt });
  });
  let count = 0;
  let inOrder = true;
  parentPort.on('message', async (message) => {
    if (message.type !== 'burst') return;
    await bus.subscribe(`${TOPIC}:burst`, (delivered) => {
      if (delivered.data.n !== count) inOrder = false;
      count += 1;
      if (count === BURST_MESSAGES)
        parentPort.postMessage({ type: 'burst done', count, inOrder, at: clock() });
    });
    parentPort.postMessage({ type: 'ready for burst' });
  });
  parentPort.postMessage({ type: 'subscribed' });
}

/** Publishes BURST_MESSAGES with up to IN_FLIGHT unresolved at once, in order of n. */
async function burst(publish) {
  let n = 0;
  const lane = async () => {
    while (n < BURST_MESSAGES) await publish(n++);
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
}
