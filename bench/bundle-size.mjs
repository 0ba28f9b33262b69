// Benchmark: what the browser downloads. The script-tag file as built, against its 60 KB gzip budget
// and deep-chat's script-tag file; and "the client plus one streaming chat call" bundled for a browser
// (rollup, node-resolve with the `browser` condition, terser), against its 20 KB gzip budget and
// openai-node's equivalent bundled the same way in the same run; and seed 001's areas, each with the
// core alone, bundled the same way. Needs the build (`pnpm bench` runs it).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { bundleForBrowser } from './browser-bundle.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const KB = 1024;
const SCRIPT_TAG_BUDGET = 60 * KB;
const CLIENT_BUDGET = 20 * KB;

const gzip = (code) => gzipSync(code, { level: 9 }).length;
const brotli = (code) => brotliCompressSync(code).length;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
const verdict = (bytes, budget) =>
  bytes <= budget ? `within ${kb(budget)}` : `OVER the ${kb(budget)} budget by ${bytes - budget} bytes`;

/** The minified code of an app whose whole code is `source`, bundled for a browser from `dir`. */
const bundle = async (source, dir) => (await bundleForBrowser(source, dir)).code;

// The same app three ways: our client with only the chat resource, our client with every resource,
// and openai-node. Each sends one message and writes the streamed text into the page.
const apps = {
  cartrita: {
    dir: 'packages/sdk',
    source: `
      import { createClient } from '@cartrita/sdk/core';
      import { Chat } from '@cartrita/sdk/chat';
      const client = createClient({ baseURL: location.origin, clientSecret: 'cks_demo', resources: { chat: Chat } });
      const stream = await client.chat.stream({ message: 'Hello' });
      for await (const frame of stream) if (frame.type === 'chunk') document.body.append(frame.content);`,
  },
  cartritaWhole: {
    dir: 'packages/sdk',
    source: `
      import { CartritaClient } from '@cartrita/sdk';
      const client = new CartritaClient({ baseURL: location.origin, clientSecret: 'cks_demo' });
      const stream = await client.chat.stream({ message: 'Hello' });
      for await (const frame of stream) if (frame.type === 'chunk') document.body.append(frame.content);`,
  },
  openai: {
    dir: '.',
    source: `
      import OpenAI from 'openai';
      const client = new OpenAI({ baseURL: location.origin, apiKey: 'sk_demo', dangerouslyAllowBrowser: true });
      const stream = await client.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: 'Hello' }],
        stream: true,
      });
      for await (const chunk of stream) document.body.append(chunk.choices[0]?.delta?.content ?? '');`,
  },
  // Seed 001's areas, each with the core alone, as a page or a backend would import them: a command
  // queued and waited for, a session's events followed live, and every area of a session at once.
  commands: {
    dir: 'packages/sdk',
    source: `
      import { createClient } from '@cartrita/sdk/core';
      import { Commands } from '@cartrita/sdk/commands';
      const client = createClient({ baseURL: location.origin, apiKey: 'ck_demo', resources: { commands: Commands } });
      const done = await client.commands.run('sess_demo', { command_type: 'DummyEngineCommand', parameters: { prompt: 'Hello' } });
      document.body.append(JSON.stringify(done.result));`,
  },
  eventStream: {
    dir: 'packages/sdk',
    source: `
      import { createClient } from '@cartrita/sdk/core';
      import { Events } from '@cartrita/sdk/events';
      const client = createClient({ baseURL: location.origin, clientSecret: 'cks_demo', resources: { events: Events } });
      for await (const event of client.events.stream('sess_demo')) document.body.append(event.event_type);`,
  },
  sessions: {
    dir: 'packages/sdk',
    source: `
      import { createClient } from '@cartrita/sdk/core';
      import { Sessions } from '@cartrita/sdk/sessions';
      const client = createClient({ baseURL: location.origin, apiKey: 'ck_demo', resources: { sessions: Sessions } });
      const { session_id } = await client.sessions.create();
      const done = await client.sessions.commands.run(session_id, { command_type: 'DummyEngineCommand', parameters: { prompt: 'Hello' } });
      for await (const event of client.sessions.events.stream(session_id)) document.body.append(event.event_type, JSON.stringify(done));`,
  },
  engines: {
    dir: 'packages/sdk',
    source: `
      import { createClient } from '@cartrita/sdk/core';
      import { Engines } from '@cartrita/sdk/engines';
      const client = createClient({ baseURL: location.origin, apiKey: 'ck_demo', resources: { engines: Engines } });
      const engine = await client.engines.create({ engine_type: 'DummyEngine', session_id: 'sess_demo' });
      document.body.append((await client.engines.execute(engine.engine_id, { prompt: 'Hello' })).response);`,
  },
  // The libraries our client is built on, with the chat schemas it validates, and no SDK code: the
  // floor under "the client plus one streaming chat call".
  libraries: {
    dir: 'packages/sdk',
    source: `
      import ky from 'ky';
      import { createParser } from 'eventsource-parser';
      import { ChatCancelResponse, ChatResponse, ChatStreamFrame } from '@cartrita/contracts';
      const response = await ky.post('api/chat/stream', {
        prefix: location.origin,
        json: { message: 'Hello' },
        retry: { limit: 2, jitter: (ms) => ms, shouldRetry: () => undefined },
        hooks: { afterResponse: [() => ky.retry({ delay: 1 })] },
      });
      const parser = createParser({
        onEvent: ({ data }) => {
          const frame = ChatStreamFrame.safeParse(JSON.parse(data));
          if (frame.success && frame.data.type === 'chunk') document.body.append(frame.data.content);
        },
      });
      console.log(ChatResponse, ChatCancelResponse);
      const decoder = new TextDecoder();
      for await (const chunk of response.body) parser.feed(decoder.decode(chunk, { stream: true }));`,
  },
  // And each of them alone.
  ky: { dir: 'packages/sdk', source: `import ky from 'ky'; console.log(await ky('api/health').json());` },
  zod: {
    dir: 'packages/sdk',
    source: `
      import { ChatStreamFrame } from '@cartrita/contracts';
      console.log(ChatStreamFrame.safeParse(JSON.parse(document.body.textContent)));`,
  },
  eventsourceParser: {
    dir: 'packages/sdk',
    source: `
      import { createParser } from 'eventsource-parser';
      createParser({ onEvent: ({ data }) => document.body.append(data) }).feed(document.body.textContent);`,
  },
};

const scriptTag = readFileSync(`${root}packages/widget/dist/cartrita-chat.js`);
const deepChat = readFileSync(`${root}node_modules/deep-chat/dist/deepChat.bundle.js`);
const sizes = { scriptTag: gzip(scriptTag), deepChat: gzip(deepChat) };
for (const [name, app] of Object.entries(apps)) sizes[name] = gzip(await bundle(app.source, app.dir));

/** One line of the report: a label, a gzip size and what to make of it. */
const row = (label, bytes, note = '') =>
  console.log(
    `  ${label.padEnd(36)} ${String(bytes).padStart(6)} bytes  ${kb(bytes).padStart(8)}  ${note}`.trimEnd(),
  );
const times = (bytes, ours) => `${(bytes / ours).toFixed(2)}x ours`;

console.log(
  'The script-tag file: lit, marked, and the SDK with ky, zod/mini and eventsource-parser (gzip -9)',
);
row(
  'cartrita-chat.js',
  sizes.scriptTag,
  `${verdict(sizes.scriptTag, SCRIPT_TAG_BUDGET)}; ${brotli(scriptTag)} bytes brotli`,
);
row('deep-chat 2.4 (deepChat.bundle.js)', sizes.deepChat, times(sizes.deepChat, sizes.scriptTag));
console.log('The client plus one streaming chat call, bundled for a browser (rollup, terser, gzip -9)');
row('@cartrita/sdk/core + /chat', sizes.cartrita, verdict(sizes.cartrita, CLIENT_BUDGET));
row('new CartritaClient() (every area)', sizes.cartritaWhole, times(sizes.cartritaWhole, sizes.cartrita));
row('openai-node', sizes.openai, times(sizes.openai, sizes.cartrita));
row('ky + zod/mini + eventsource-parser', sizes.libraries, 'with the chat schemas and no SDK code');
row('  ky alone', sizes.ky);
row('  zod/mini with the chat frame schema', sizes.zod);
row('  eventsource-parser alone', sizes.eventsourceParser);
console.log("Seed 001's areas, each with @cartrita/sdk/core, bundled the same way");
row('/commands: commands.run()', sizes.commands);
row('/events: events.stream()', sizes.eventStream, 'its WebSocket, reconnects and resume');
row('/sessions: every session area', sizes.sessions);
row('/engines: create() + execute()', sizes.engines);
