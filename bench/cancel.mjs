// Benchmark: cancellation latency on /ws/chat (seed 003 promises under 100 ms; we aim for p99 < 10 ms).
// The server runs here; the client runs in a worker thread (its own event loop, as a real client
// has). One socket, CHATS chats in turn: send `chat`, wait for a few chunks, send `cancel`, and time
// from sending `cancel` to receiving `cancelled`. The demo provider is wrapped so that each turn's
// provider request records when its AbortSignal fired: a sample counts as confirmed only when the
// provider request was aborted before `cancelled` arrived. Bounded: a fixed number of chats.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

const CHATS = 200;
const WARM_UP = 10;
const CHUNKS_BEFORE_CANCEL = 3;

/** Milliseconds on a clock shared by both threads. */
const clock = () => performance.timeOrigin + performance.now();

if (isMainThread) {
  const { startTestServer } = await import('../reference-server/dist/testing.js');
  const { ms, quantile } = await import('./stats.mjs');
  const server = await startTestServer({ env: { DEMO_PACE_MS: '2', WS_CONNECTIONS_PER_MINUTE: '0' } });
  try {
    // The engine calls this very object for every demo turn; record when each request is aborted.
    const demo = server.running.context.providers.byName('demo');
    const stream = demo.stream.bind(demo);
    const probes = [];
    demo.stream = (request) => {
      const probe = { abortedAt: undefined };
      probes.push(probe);
      request.signal.addEventListener('abort', () => {
        probe.abortedAt = clock();
      });
      return stream(request);
    };
    const session = await (await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })).json();
    const url = `${server.url.replace(/^http/, 'ws')}/ws/chat?access_token=${encodeURIComponent(session.client_secret)}`;
    const worker = new Worker(new URL(import.meta.url), { workerData: { url } });
    const samples = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();

    const measured = samples.slice(WARM_UP);
    const latencies = measured.map((sample) => sample.receivedAt - sample.sentAt);
    const confirmed = measured.filter((sample, i) => {
      const abortedAt = probes[WARM_UP + i]?.abortedAt;
      return abortedAt !== undefined && abortedAt <= sample.receivedAt;
    }).length;
    console.log(`/ws/chat cancel → cancelled, demo provider at pace 2 ms, ${CHATS} chats on one socket`);
    console.log(
      `  p50 ${ms(quantile(latencies, 0.5))}, p99 ${ms(quantile(latencies, 0.99))}, max ${ms(Math.max(...latencies))}`,
    );
    console.log(`  provider request aborted before \`cancelled\` arrived: ${confirmed}/${CHATS}`);
    if (confirmed !== CHATS || probes.length !== WARM_UP + CHATS) process.exitCode = 1;
  } finally {
    await server.close();
  }
} else {
  const socket = new WebSocket(workerData.url);
  const inbox = [];
  const waiting = [];
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    message.receivedAt = clock();
    inbox.push(message);
    for (const wake of waiting.splice(0)) wake();
  };
  socket.onclose = () => {
    for (const wake of waiting.splice(0)) wake();
  };
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error('The benchmark socket did not open'));
  });
  const next = async (type) => {
    for (;;) {
      const index = inbox.findIndex((message) => message.type === type);
      if (index >= 0) return inbox.splice(0, index + 1).at(-1);
      if (socket.readyState !== WebSocket.OPEN) throw new Error(`The socket closed before a ${type}`);
      await new Promise((resolve) => waiting.push(resolve));
    }
  };
  const samples = [];
  for (let i = 0; i < WARM_UP + CHATS; i++) {
    socket.send(JSON.stringify({ type: 'chat', data: { message: `Tell me something, take ${i}` } }));
    const started = await next('chat_session_start');
    for (let n = 0; n < CHUNKS_BEFORE_CANCEL; n++) await next('chunk');
    const sentAt = clock();
    socket.send(JSON.stringify({ type: 'cancel', session_id: started.data.chat_session_id }));
    const cancelled = await next('cancelled');
    if (cancelled.data.chat_session_id !== started.data.chat_session_id)
      throw new Error('cancelled the wrong chat');
    samples.push({ sentAt, receivedAt: cancelled.receivedAt });
  }
  socket.close();
  parentPort.postMessage(samples);
}
