// Benchmark: stream the same 5,000-token markdown reply into <cartrita-chat> and into deep-chat (from
// npm) in one headless Chromium, as fast as each page takes it, and compare the main-thread time each
// spends. A local server sends the whole reply at once: to our widget as ChatKit `text_delta` events
// from a stand-in `/chatkit`, to deep-chat as `{"text": ...}` server-sent events for its
// `connect: {stream: true}`. Each widget runs in a fresh page, one after the other, after one short
// warm-up reply; the figures are medians over RUNS runs each, alternating.
//
// Main-thread time is the renderer's TaskDuration from the DevTools protocol (Performance.getMetrics),
// taken before sending and after the reply is complete; the longest task comes from a 'longtask'
// PerformanceObserver in the page (tasks of 50 ms or more). Needs the widget built (`pnpm build`) and
// Debian's Chromium (CHROMIUM_PATH overrides).
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { quantile } from './stats.mjs';

const TOKENS = 5_000;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LIMIT_MS = 10 * 60_000;

const widgetDist = fileURLToPath(new URL('../packages/widget/dist/', import.meta.url));
const deepChatBundle = fileURLToPath(
  new URL('../node_modules/deep-chat/dist/deepChat.bundle.js', import.meta.url),
);
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// The whole run is bounded: a stuck page must not hang CI.
setTimeout(() => {
  console.error(`widget-stream: gave up after ${LIMIT_MS / 1000} s`);
  process.exit(1);
}, LIMIT_MS).unref();

/**
 * A deterministic markdown reply of `count` tokens, cut the way the demo provider streams: words with
 * their leading space, and newlines on their own. Headings, emphasis, inline code, links, lists, quotes,
 * tables and fenced code, in turn.
 */
const markdownTokens = (count) => {
  const words =
    'the quick brown fox jumps over a lazy dog while streaming tokens render into markdown blocks'.split(' ');
  const word = (n) => words[n % words.length];
  const tokens = [];
  const add = (...lines) => {
    for (const line of lines) {
      for (const piece of line.match(/ *\S+/g) ?? []) tokens.push(piece);
      tokens.push('\n');
    }
  };
  for (let section = 1; tokens.length < count; section++) {
    add(`## Section ${section}`, '');
    add(
      `Paragraph ${section} with **${word(section)}**, *${word(section + 1)}*, \`${word(section + 2)}()\` and a [link](https://example.com/${section}). ${Array.from({ length: 24 }, (_, i) => word(section + i)).join(' ')}.`,
      '',
    );
    add(
      `- ${word(section)} item one`,
      `- ${word(section + 3)} item two`,
      `  - nested ${word(section + 4)}`,
      '',
    );
    add(`1. first ${word(section + 5)}`, `2. second ${word(section + 6)}`, '');
    if (section % 2 === 0) add(`> A quotation about ${word(section)} and ${word(section + 7)}.`, '');
    if (section % 3 === 0) {
      add('| Name | Value | Note |', '| --- | ---: | --- |');
      for (let row = 0; row < 4; row++)
        add(`| ${word(section + row)} | ${section * 10 + row} | \`${word(row)}\` |`);
      add('');
    }
    if (section % 4 === 0) {
      add('```ts', `const ${word(section)} = await fetch('https://example.com/${section}');`);
      add(`for (const item of items) console.log(item.${word(section + 1)}, ${section});`, '```', '');
    }
  }
  return tokens.slice(0, count);
};

const replyTokens = markdownTokens(TOKENS);
const warmUpTokens = markdownTokens(300);
const replyText = replyTokens.join('');
const sections = (replyText.match(/^## /gm) ?? []).length;

// ChatKit events as the reference server writes them.
const now = () => new Date().toISOString();
const thread = {
  id: 'thr_bench',
  created_at: now(),
  status: { type: 'active' },
  metadata: {},
  items: { data: [], has_more: false },
};
let ids = 0;
const chatkitStream = (tokens, text, created) => {
  const item = { id: `msg_${++ids}`, thread_id: thread.id, created_at: now(), type: 'assistant_message' };
  const user = {
    ...item,
    id: `msg_${++ids}`,
    type: 'user_message',
    content: [{ type: 'input_text', text }],
    attachments: [],
    inference_options: {},
  };
  const part = { type: 'output_text', text: '', annotations: [] };
  const update = (u) => ({ type: 'thread.item.updated', item_id: item.id, update: u });
  const events = [
    ...(created ? [{ type: 'thread.created', thread }] : []),
    { type: 'thread.item.done', item: user },
    { type: 'stream_options', stream_options: { allow_cancel: true } },
    { type: 'thread.item.added', item: { ...item, content: [] } },
    update({ type: 'assistant_message.content_part.added', content_index: 0, content: part }),
    ...tokens.map((delta) =>
      update({ type: 'assistant_message.content_part.text_delta', content_index: 0, delta }),
    ),
    update({
      type: 'assistant_message.content_part.done',
      content_index: 0,
      content: { ...part, text: tokens.join('') },
    }),
    { type: 'thread.item.done', item: { ...item, content: [{ ...part, text: tokens.join('') }] } },
    { type: 'thread.updated', thread: { ...thread, title: text } },
  ];
  return events.map((event) => `data: ${JSON.stringify(event)}\n\n`).join('');
};
const deepChatStream = (tokens) => tokens.map((text) => `data: ${JSON.stringify({ text })}\n\n`).join('');

const pages = {
  '/cartrita.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>cartrita</title>
<script src="/widget/cartrita-chat.js"></script></head>
<body><cartrita-chat theme="light" style="display:block;width:640px;--cartrita-max-height:640px"></cartrita-chat></body></html>`,
  '/deep-chat.html': `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>deep-chat</title>
<script type="module">
import '/deep-chat.js';
const chat = document.querySelector('deep-chat');
chat.connect = { url: '/deep-chat-stream', stream: true };
window.__aiMessages = 0;
chat.onMessage = ({ message, isHistory }) => { if (!isHistory && message.role === 'ai') window.__aiMessages++; };
</script></head>
<body><deep-chat style="width:640px;height:720px"></deep-chat></body></html>`,
};

const readBody = async (req) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

const server = createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://bench');
  const file = /^\/widget\/(cartrita-chat(?:\.[a-z0-9-]+)?\.js)$/.exec(pathname)?.[1];
  if (pages[pathname]) return res.writeHead(200, { 'content-type': 'text/html' }).end(pages[pathname]);
  if (file)
    return res
      .writeHead(200, { 'content-type': 'text/javascript' })
      .end(readFileSync(`${widgetDist}${file}`));
  if (pathname === '/deep-chat.js')
    return res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(deepChatBundle));
  if (pathname === '/api/chatkit/session') {
    await readBody(req);
    const session = {
      client_secret: 'cks_bench',
      session_id: 'sess_bench',
      expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    };
    return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(session));
  }
  if (pathname === '/chatkit') {
    const { type, params } = JSON.parse(await readBody(req));
    const text = params.input.content[0].text;
    const tokens = text === 'warm up' ? warmUpTokens : replyTokens;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return res.end(chatkitStream(tokens, text, type === 'threads.create'));
  }
  if (pathname === '/deep-chat-stream') {
    const { messages } = JSON.parse(await readBody(req));
    const tokens = messages.at(-1)?.text === 'warm up' ? warmUpTokens : replyTokens;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    return res.end(deepChatStream(tokens));
  }
  res.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;

/** How each widget is driven: load, send, and know that a reply is complete. */
const subjects = {
  cartrita: {
    path: '/cartrita.html',
    ready: () =>
      document.querySelector('cartrita-chat')?.shadowRoot?.querySelector('[data-connection="ready"]') !==
      null,
    send: (text) => document.querySelector('cartrita-chat').sendMessage(text),
    done: (count) => {
      const root = document.querySelector('cartrita-chat').shadowRoot;
      return (
        root.querySelectorAll('[data-item-type="assistant_message"][data-status="done"]').length === count &&
        root.querySelector('[part~="panel"]').dataset.busy === 'false'
      );
    },
    reply: () => {
      const replies = document
        .querySelector('cartrita-chat')
        .shadowRoot.querySelectorAll('[part~="markdown"]');
      const last = replies[replies.length - 1];
      return { headings: last.querySelectorAll('h2').length, text: last.textContent.length };
    },
  },
  'deep-chat': {
    path: '/deep-chat.html',
    ready: () => !!document.querySelector('deep-chat')?.shadowRoot?.querySelector('#text-input'),
    send: (text) => document.querySelector('deep-chat').submitUserMessage({ text }),
    done: (count) => window.__aiMessages === count,
    reply: () => {
      const bubbles = document.querySelector('deep-chat').shadowRoot.querySelectorAll('.ai-message-text');
      const last = bubbles[bubbles.length - 1];
      return { headings: last.querySelectorAll('h2').length, text: last.textContent.length };
    },
  },
};

const metric = (metrics, name) => metrics.metrics.find((m) => m.name === name)?.value ?? 0;

const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
  ],
});

const once = async (name) => {
  const subject = subjects[name];
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(`${base}${subject.path}`);
    await page.waitForFunction(subject.ready, undefined, { polling: 100, timeout: 30_000 });
    // Warm up: the first reply loads lazily loaded code (our highlighter) and lets the JIT settle.
    await page.evaluate(subject.send, 'warm up');
    await page.waitForFunction(subject.done, 1, { polling: 100, timeout: 60_000 });
    await page.evaluate(() => {
      window.__longest = 0;
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.__longest = Math.max(window.__longest, entry.duration);
      }).observe({ type: 'longtask' });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const before = await cdp.send('Performance.getMetrics');
    const start = performance.now();
    await page.evaluate(subject.send, 'bench');
    await page.waitForFunction(subject.done, 2, { polling: 100, timeout: LIMIT_MS });
    const wall = performance.now() - start;
    // Let the last frame paint before reading the counters.
    await page.evaluate(
      () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
    );
    const after = await cdp.send('Performance.getMetrics');
    const delta = (key) => (metric(after, key) - metric(before, key)) * 1000;
    const rendered = await page.evaluate(subject.reply);
    if (errors.length) throw new Error(`${name}: ${errors.join('; ')}`);
    return {
      task: delta('TaskDuration'),
      layout: delta('LayoutDuration') + delta('RecalcStyleDuration'),
      longest: await page.evaluate(() => window.__longest),
      wall,
      rendered,
    };
  } finally {
    await context.close();
  }
};

try {
  const results = { cartrita: [], 'deep-chat': [] };
  for (let run = 0; run < RUNS; run++) {
    for (const name of Object.keys(results)) results[name].push(await once(name));
  }
  const median = (name, key) =>
    quantile(
      results[name].map((r) => r[key]),
      0.5,
    );
  const seconds = (value) => `${(value / 1000).toFixed(2)} s`;
  const msec = (value) => (value > 0 ? `${Math.round(value)} ms` : 'none >= 50 ms');
  console.log(
    `One ${TOKENS}-token markdown reply (${replyText.length} characters, ${sections} sections, lists, tables, code), ` +
      `streamed as fast as the page takes it; medians of ${RUNS} runs in Chromium ${browser.version()}`,
  );
  for (const name of Object.keys(results)) {
    const last = results[name].at(-1).rendered;
    console.log(
      `  ${name.padEnd(9)} main thread ${seconds(median(name, 'task')).padStart(8)} ` +
        `(style and layout ${seconds(median(name, 'layout'))}), ` +
        `longest task ${msec(Math.max(...results[name].map((r) => r.longest)))}, ` +
        `send to done ${seconds(median(name, 'wall'))}; rendered ${last.headings}/${sections} headings, ${last.text} characters of text`,
    );
  }
  const ratio = median('deep-chat', 'task') / median('cartrita', 'task');
  console.log(`  ratio: deep-chat spends ${ratio.toFixed(1)}x the main-thread time of cartrita-chat`);
  console.log(
    '  (cartrita-chat also highlights the code blocks; deep-chat has no highlighter without window.hljs)',
  );
} finally {
  await browser.close();
  server.close();
}
