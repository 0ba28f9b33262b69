// Benchmark: event fan-out, from `POST /api/sessions/{id}/events` to delivery on a WebSocket
// following the session (`WS /api/sessions/{id}/events/stream`), over real HTTP: on one built server
// (in-process bus), then from one server to another over a throwaway Redis started for the run. The servers run here; the followers run in a worker thread (their own event
// loop, as real clients have), several on the one session. Each event carries the time it was sent
// on a clock both threads share. Bounded: a fixed number of events.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const EVENTS = 500;
const WARM_UP = 20;
const FOLLOWERS = 4;

/** Milliseconds on a clock shared by both threads. */
const clock = () => performance.timeOrigin + performance.now();

/** Publishes on `publisher` and measures delivery to followers of the same session on `follower`. */
const measure = async (publisher, follower, label) => {
  const { ms, quantile } = await import('./stats.mjs');
  const headers = { 'x-api-key': publisher.apiKey, 'content-type': 'application/json' };
  const { session_id } = await (
    await fetch(`${publisher.url}/api/sessions`, { method: 'POST', headers, body: '{}' })
  ).json();
  const url = `${follower.url.replace(/^http/, 'ws')}/api/sessions/${session_id}/events/stream`;
  const worker = new Worker(new URL(import.meta.url), {
    workerData: { url, key: follower.apiKey, followers: FOLLOWERS, events: WARM_UP + EVENTS },
  });
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  const done = new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  for (let n = 0; n < WARM_UP + EVENTS; n++) {
    const response = await fetch(`${publisher.url}/api/sessions/${session_id}/events`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ event_type: 'Tick', data: { n, sent_at: clock() } }),
    });
    if (response.status !== 201) throw new Error(`publish: ${response.status}`);
  }
  const latencies = (await done).filter((sample) => sample.n >= WARM_UP).map((sample) => sample.latency);
  await worker.terminate();
  console.log(`${label}: ${EVENTS} events to ${FOLLOWERS} followers (${latencies.length} deliveries)`);
  console.log(
    `  p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`,
  );
  if (latencies.length !== EVENTS * FOLLOWERS) process.exitCode = 1;
};

if (isMainThread) {
  const { startTestServer } = await import('../reference-server/dist/testing.js');
  const one = await startTestServer();
  try {
    await measure(one, one, 'POST event → WebSocket delivery, one instance, in-process bus');
  } finally {
    await one.close();
  }

  // Two instances on one database and one Redis: published on one, followed on the other. The
  // database is one SQLite file both open (WAL lets two processes share it); the events cross
  // between the instances through Redis alone.
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { startRedisServer } = await import('../tests/redis.ts');
  const redis = await startRedisServer();
  const shared = await mkdtemp(join(tmpdir(), 'cartrita-bench-'));
  try {
    const key = `bench-${Math.random().toString(16).slice(2)}-0123456789`;
    const env = {
      DATABASE_URL: `sqlite://${join(shared, 'shared.sqlite')}`,
      REDIS_URL: redis.url,
      API_KEYS: `bench:admin:${key}`,
    };
    const a = await startTestServer({ env });
    const b = await startTestServer({ env });
    try {
      await measure(
        { url: a.url, apiKey: key },
        { url: b.url, apiKey: key },
        'POST event on one instance → WebSocket on another, over Redis',
      );
    } finally {
      await a.close();
      await b.close();
    }
  } finally {
    await redis.stop();
    await rm(shared, { recursive: true, force: true });
  }
} else {
  const { url, key, followers, events } = workerData;
  const samples = [];
  let ready = 0;
  let finished = 0;
  for (let i = 0; i < followers; i++) {
    const socket = new WebSocket(url, { headers: { 'x-api-key': key } });
    let seen = 0;
    socket.addEventListener('message', (message) => {
      const at = clock();
      const data = JSON.parse(String(message.data));
      if (data.type === 'ready') {
        ready += 1;
        if (ready === followers) parentPort.postMessage('ready');
        return;
      }
      if (data.type !== 'event') return;
      samples.push({ n: data.data.n, latency: at - data.data.sent_at });
      seen += 1;
      if (seen === events) {
        socket.close();
        finished += 1;
        if (finished === followers) parentPort.postMessage(samples);
      }
    });
  }
}
