// Benchmark: event fan-out, from `POST /api/sessions/{id}/events` to delivery on a WebSocket
// following the session (`WS /api/sessions/{id}/events/stream`), on one built server over real HTTP.
// The server runs here; the follower runs in a worker thread (its own event loop, as a real client
// has), with several followers on the one session. Each event carries the time it was sent on a
// clock both threads share. Bounded: a fixed number of events.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const EVENTS = 500;
const WARM_UP = 20;
const FOLLOWERS = 4;

/** Milliseconds on a clock shared by both threads. */
const clock = () => performance.timeOrigin + performance.now();

if (isMainThread) {
  const { startTestServer } = await import('../reference-server/dist/testing.js');
  const { ms, quantile } = await import('./stats.mjs');
  const server = await startTestServer();
  try {
    const headers = { 'x-api-key': server.apiKey, 'content-type': 'application/json' };
    const { session_id } = await (
      await fetch(`${server.url}/api/sessions`, { method: 'POST', headers, body: '{}' })
    ).json();
    const url = `${server.url.replace(/^http/, 'ws')}/api/sessions/${session_id}/events/stream`;
    const worker = new Worker(new URL(import.meta.url), {
      workerData: { url, key: server.apiKey, followers: FOLLOWERS, events: WARM_UP + EVENTS },
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
      const response = await fetch(`${server.url}/api/sessions/${session_id}/events`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ event_type: 'Tick', data: { n, sent_at: clock() } }),
      });
      if (response.status !== 201) throw new Error(`publish: ${response.status}`);
    }
    const latencies = (await done).filter((sample) => sample.n >= WARM_UP).map((sample) => sample.latency);
    await worker.terminate();
    console.log(
      `POST event → WebSocket delivery, one instance, in-process bus: ${EVENTS} events to ${FOLLOWERS} followers (${latencies.length} deliveries)`,
    );
    console.log(
      `  p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`,
    );
    if (latencies.length !== EVENTS * FOLLOWERS) process.exitCode = 1;
  } finally {
    await server.close();
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
