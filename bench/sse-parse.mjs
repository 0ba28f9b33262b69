/**
 * @module Benchmark: parsing one ~10 MB ChatKit SSE body with Cartrita's `Stream` and with the `openai`
 * package's `Stream.fromSSEResponse`, in the same run, on the same bytes, delivered in 64 KB chunks.
 *
 * Run after building the SDK: `node bench/sse-parse.mjs [runs]` (Node 24).
 */
import { Stream as OpenAIStream } from 'openai/streaming';
import { Stream } from '../packages/sdk/dist/core/index.js';
import { quantile } from './stats.mjs';

const TARGET_BYTES = 10 * 1024 * 1024;
const CHUNK_BYTES = 64 * 1024;
const RUNS = Number(process.argv[2] ?? 5);

/** Builds a realistic reply: a ChatKit text_delta event per token, framed by the events around it. */
const buildBody = () => {
  const words = [
    'The',
    ' quick',
    ' brown',
    ' fox',
    ' jumps',
    ' over',
    ' the',
    ' lazy',
    ' dog',
    '.',
    '\n\n',
    ' Ünïcödé',
    ' "quoted"',
    ' `code`',
    ' —',
    ' 東京',
    ' 🙂',
    ' tokens',
    ',',
    ' streaming',
  ];
  const item = 'msg_70cf3550';
  const events = [
    { type: 'stream_options', stream_options: { allow_cancel: true } },
    {
      type: 'thread.item.added',
      item: { id: item, thread_id: 'thr_a05234a0', type: 'assistant_message', content: [] },
    },
    {
      type: 'thread.item.updated',
      item_id: item,
      update: {
        type: 'assistant_message.content_part.added',
        content_index: 0,
        content: { annotations: [], text: '', type: 'output_text' },
      },
    },
  ];
  const parts = events.map((event) => `data: ${JSON.stringify(event)}\n\n`);
  let bytes = parts.reduce((sum, part) => sum + Buffer.byteLength(part), 0);
  let text = '';
  for (let index = 0; bytes < TARGET_BYTES; index++) {
    const delta = words[index % words.length];
    text += delta;
    const event = {
      type: 'thread.item.updated',
      item_id: item,
      update: { type: 'assistant_message.content_part.text_delta', content_index: 0, delta },
    };
    const part = `data: ${JSON.stringify(event)}\n\n`;
    parts.push(part);
    bytes += Buffer.byteLength(part);
  }
  const done = {
    type: 'thread.item.done',
    item: { id: item, type: 'assistant_message', content: [{ text }] },
  };
  parts.push(`data: ${JSON.stringify(done)}\n\n`);
  return { bytes: new TextEncoder().encode(parts.join('')), events: parts.length, text };
};

/** A fresh Response that streams `bytes` in 64 KB chunks, as a network body would arrive. */
const responseOf = (bytes) => {
  let offset = 0;
  const body = new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.subarray(offset, offset + CHUNK_BYTES));
      offset += CHUNK_BYTES;
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
};

/** Reads every event and checks the result, so that both parsers do the same, verified work. */
const consume = async (stream, expected) => {
  let count = 0;
  let text = '';
  for await (const event of stream) {
    count++;
    if (event.update?.type === 'assistant_message.content_part.text_delta') text += event.update.delta;
  }
  if (count !== expected.events || text !== expected.text) {
    throw new Error(`Parsed ${count} events (expected ${expected.events}) and a different text`);
  }
};

const parsers = {
  cartrita: (bytes) => Stream.fromSSEResponse(responseOf(bytes), { decode: ({ data }) => JSON.parse(data) }),
  openai: (bytes) => OpenAIStream.fromSSEResponse(responseOf(bytes), new AbortController()),
};

const time = async (name, body) => {
  const started = performance.now();
  await consume(parsers[name](body.bytes), body);
  return performance.now() - started;
};

const median = (values) => quantile(values, 0.5);

const body = buildBody();
const megabytes = body.bytes.length / (1024 * 1024);
console.log(
  `SSE body: ${megabytes.toFixed(2)} MiB, ${body.events} events, ${CHUNK_BYTES / 1024} KB chunks, ${RUNS} runs after a warm-up (Node ${process.version})`,
);

for (const name of Object.keys(parsers)) await time(name, body);

const results = { cartrita: [], openai: [] };
for (let run = 0; run < RUNS; run++) {
  // Alternate the order so that neither parser always runs on a warmer heap.
  const order = run % 2 ? ['openai', 'cartrita'] : ['cartrita', 'openai'];
  for (const name of order) results[name].push(await time(name, body));
}

for (const [name, runs] of Object.entries(results)) {
  const ms = median(runs);
  console.log(
    `${name.padEnd(9)} median ${ms.toFixed(1)} ms/run, ${(megabytes / (ms / 1000)).toFixed(1)} MiB/s (runs: ${runs.map((value) => value.toFixed(0)).join(', ')} ms)`,
  );
}
const ratio = median(results.openai) / median(results.cartrita);
console.log(
  `ratio: cartrita is ${ratio.toFixed(2)}x the speed of openai (median openai ms / median cartrita ms)`,
);
