// Benchmark: /chatkit with the demo provider at zero pace, on loopback.
// Prints time to first event (from sending the request to the first `data:` frame) and events per
// second, for sequential streams and for 8 concurrent ones. Bounded: a fixed number of requests.
import { startTestServer } from '../reference-server/dist/testing.js';
import { ms, quantile } from './stats.mjs';

const SEQUENTIAL = 60;
const CONCURRENT = 8;
const ROUNDS = 5;

const server = await startTestServer();
try {
  const session = await (await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })).json();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${session.client_secret}` };
  const body = JSON.stringify({
    type: 'threads.create',
    params: {
      input: { content: [{ type: 'input_text', text: '/markdown' }], attachments: [], inference_options: {} },
    },
  });

  const once = async () => {
    const start = performance.now();
    const res = await fetch(`${server.url}/chatkit`, { method: 'POST', headers, body });
    const reader = res.body.getReader();
    const decoder = new TextDecoder();
    let first;
    let events = 0;
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      first ??= performance.now() - start;
      events += decoder.decode(value, { stream: true }).split('\n\n').length - 1;
    }
    return { first, events, total: performance.now() - start };
  };

  for (let i = 0; i < 5; i++) await once(); // warm-up

  const runs = [];
  for (let i = 0; i < SEQUENTIAL; i++) runs.push(await once());
  const firsts = runs.map((r) => r.first);
  const rates = runs.map((r) => r.events / (r.total / 1000));
  console.log(
    `/chatkit threads.create, demo provider at pace 0, ${runs[0].events} events per reply, ${SEQUENTIAL} sequential requests`,
  );
  console.log(`  time to first event: p50 ${ms(quantile(firsts, 0.5))}, p95 ${ms(quantile(firsts, 0.95))}`);
  console.log(`  events per second per stream: p50 ${Math.round(quantile(rates, 0.5))}`);

  const aggregate = [];
  for (let round = 0; round < ROUNDS; round++) {
    const start = performance.now();
    const results = await Promise.all(Array.from({ length: CONCURRENT }, once));
    const seconds = (performance.now() - start) / 1000;
    aggregate.push(results.reduce((n, r) => n + r.events, 0) / seconds);
  }
  console.log(
    `  ${CONCURRENT} concurrent streams: ${Math.round(quantile(aggregate, 0.5))} events per second in total (median of ${ROUNDS})`,
  );
} finally {
  await server.close();
}
