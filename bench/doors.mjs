// Benchmark: tokens per second through each HTTP chat door, against the raw demo provider in the same
// run. Every door answers the same prompt with the demo provider at pace 0 on loopback; a door's
// overhead ratio is the raw provider's tokens per second divided by the door's. Bounded: a fixed number
// of sequential replies per door, after a warm-up.
import { createDemoProvider } from '../packages/engine/dist/index.js';
import { startTestServer } from '../reference-server/dist/testing.js';
import { ms, quantile } from './stats.mjs';

const WARMUP = 5;
const RUNS = 60;
const PROMPT = 'Tell me about the chat doors and how a dropped stream resumes.';

/** Reads a body to its end; returns the time of the first byte and the text. */
const read = async (res, start) => {
  if (res.status !== 200) throw new Error(`status ${res.status}: ${await res.text()}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let first;
  let text = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    first ??= performance.now() - start;
    text += decoder.decode(value, { stream: true });
  }
  return { first, text };
};

const countFrames = (text, type) =>
  text.split('\n\n').filter((block) => block.includes(`"type":"${type}"`)).length;

const countDeltas = (text) => text.split('\n\n').filter((block) => block.includes('.text_delta"')).length;

const server = await startTestServer();
try {
  const session = await (await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })).json();
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${session.client_secret}` };
  const post = (path, body) =>
    fetch(`${server.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  const doors = {
    'raw demo provider': async () => {
      const start = performance.now();
      const provider = createDemoProvider({ paceMs: 0 });
      let tokens = 0;
      let first;
      for await (const chunk of provider.stream({
        messages: [{ role: 'user', content: PROMPT }],
        signal: new AbortController().signal,
      })) {
        if (chunk.type !== 'text') continue;
        first ??= performance.now() - start;
        tokens++;
      }
      return { tokens, first, total: performance.now() - start };
    },
    'POST /api/chat (JSON)': async () => {
      const start = performance.now();
      const res = await post('/api/chat', { message: PROMPT });
      const { text } = await read(res, start);
      const total = performance.now() - start;
      return { tokens: JSON.parse(text).usage.completion_tokens, first: total, total };
    },
    'POST /api/chat/stream': async () => {
      const start = performance.now();
      const { first, text } = await read(await post('/api/chat/stream', { message: PROMPT }), start);
      return { tokens: countFrames(text, 'chunk'), first, total: performance.now() - start };
    },
    'POST /chat/stream': async () => {
      const start = performance.now();
      const { first, text } = await read(await post('/chat/stream', { message: PROMPT }), start);
      return { tokens: countFrames(text, 'chunk'), first, total: performance.now() - start };
    },
    'POST /chatkit (threads.create)': async () => {
      const start = performance.now();
      const body = {
        type: 'threads.create',
        params: {
          input: { content: [{ type: 'input_text', text: PROMPT }], attachments: [], inference_options: {} },
        },
      };
      const { first, text } = await read(await post('/chatkit', body), start);
      return { tokens: countDeltas(text), first, total: performance.now() - start };
    },
  };

  const entries = Object.entries(doors);
  for (const [, once] of entries) for (let i = 0; i < WARMUP; i++) await once();
  // Round-robin, so that drift in the machine's load falls on every door alike.
  const byDoor = new Map(entries.map(([name]) => [name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const [name, once] of entries) byDoor.get(name).push(await once());
  }
  const results = [];
  for (const [name, runs] of byDoor) {
    const rates = runs.map((run) => run.tokens / (run.total / 1000));
    results.push({
      name,
      tokens: runs[0].tokens,
      rate: quantile(rates, 0.5),
      total: quantile(
        runs.map((run) => run.total),
        0.5,
      ),
      first: quantile(
        runs.map((run) => run.first),
        0.5,
      ),
    });
  }

  const raw = results[0].rate;
  console.log(
    `Tokens per second through each door: demo provider at pace 0, the same ${results[0].tokens}-token reply, ` +
      `${RUNS} sequential replies per door, round-robin, on loopback (medians)`,
  );
  for (const result of results) {
    const ratio = raw / result.rate;
    console.log(
      `  ${result.name.padEnd(32)} ${String(Math.round(result.rate)).padStart(9)} tokens/s` +
        `   reply ${ms(result.total).padStart(10)}   first byte ${ms(result.first).padStart(10)}` +
        (result === results[0] ? '' : `   overhead ×${ratio.toFixed(1)}`),
    );
  }
  const chatkit = results.find((result) => result.name.startsWith('POST /chatkit'));
  for (const result of results.slice(1, -1)) {
    console.log(
      `  ${result.name} vs /chatkit: ${(chatkit.rate / result.rate).toFixed(2)}× the time per token`,
    );
  }
} finally {
  await server.close();
}
