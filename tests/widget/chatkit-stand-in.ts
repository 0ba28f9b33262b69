/**
 * @module A tiny ChatKit server for browser tests that need replies or threads the demo provider cannot
 * produce (hostile markdown, hostile titles): it serves the built script-tag files, mints sessions, and
 * answers `/chatkit` from memory with events shaped like the reference server's. Only what the widget
 * uses is implemented.
 *
 * @example
 * ```ts
 * const standIn = await startChatKitStandIn({ replies: () => ['**hi**'] });
 * const page = await openStandInPage(browser, standIn, '<cartrita-chat></cartrita-chat>');
 * await standIn.close();
 * ```
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

const dist = fileURLToPath(new URL('../../packages/widget/dist/', import.meta.url));

/** An item of a stand-in thread, in the protocol's shape. */
export type StandInItem = Record<string, unknown> & { id: string; type: string };

/** A thread the stand-in holds. */
export interface StandInThread {
  id: string;
  title?: string;
  items: StandInItem[];
}

/** Options of {@link startChatKitStandIn}. */
export interface StandInOptions {
  /**
   * The assistant's answer to a user message: each string is one assistant message, streamed in
   * `text_delta` events of `deltaSize` characters. Default: one message quoting the text.
   */
  replies?: (text: string) => string[];
  /** Widget roots sent as widget items after the replies to a user message. Default none. */
  widgets?: (text: string) => unknown[];
  /** Characters per `text_delta`. Default 4. */
  deltaSize?: number;
  /**
   * Milliseconds to wait after each `text_delta`, so that the page renders partial replies; default 0
   * (everything is written at once).
   */
  paceMs?: number;
  /** Threads that exist from the start, newest first. */
  threads?: StandInThread[];
  /**
   * Voice input: the session reports `capabilities.transcription` and `input.transcribe` answers
   * with what this returns for the audio (a thrown error becomes a 502).
   */
  transcribe?: (audio: Buffer, mimeType: string) => string;
}

/** A running stand-in. */
export interface StandIn {
  url: string;
  /** Threads by id, newest first in `list`. */
  threads: StandInThread[];
  /** Every `/chatkit` request type received, in order. */
  calls: string[];
  /** The audio of every `input.transcribe` request, decoded. */
  audio: Array<{ bytes: Buffer; mimeType: string }>;
  close(): Promise<void>;
}

const now = () => new Date().toISOString();
let counter = 0;
const id = (prefix: string) => `${prefix}_standin${++counter}`;

/** A user message item. */
export const userItem = (threadId: string, text: string): StandInItem => ({
  id: id('msg'),
  thread_id: threadId,
  created_at: now(),
  type: 'user_message',
  content: [{ type: 'input_text', text }],
  attachments: [],
  inference_options: {},
});

/** An assistant message item with its whole text. */
export const assistantItem = (threadId: string, text: string): StandInItem => ({
  id: id('msg'),
  thread_id: threadId,
  created_at: now(),
  type: 'assistant_message',
  content: [{ type: 'output_text', text, annotations: [] }],
});

const meta = (thread: StandInThread) => ({
  id: thread.id,
  ...(thread.title === undefined ? {} : { title: thread.title }),
  created_at: now(),
  status: { type: 'active' },
  metadata: {},
  items: { data: [], has_more: false },
});

const readBody = async (req: IncomingMessage): Promise<string> => {
  let body = '';
  for await (const chunk of req) body += chunk;
  return body;
};

const json = (res: ServerResponse, body: unknown, status = 200) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

/** Starts the stand-in on 127.0.0.1 and a free port. */
export const startChatKitStandIn = async (options: StandInOptions = {}): Promise<StandIn> => {
  const threads: StandInThread[] = [...(options.threads ?? [])];
  const calls: string[] = [];
  const audio: StandIn['audio'] = [];
  const replies = options.replies ?? ((text: string) => [`You wrote: ${text}`]);
  const deltaSize = options.deltaSize ?? 4;
  const pace = () =>
    options.paceMs ? new Promise((resolve) => setTimeout(resolve, options.paceMs)) : undefined;

  const stream = async (res: ServerResponse, thread: StandInThread, text: string, created: boolean) => {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
    const send = (event: unknown) => res.write(`data: ${JSON.stringify(event)}\n\n`);
    if (created) send({ type: 'thread.created', thread: meta(thread) });
    const user = userItem(thread.id, text);
    thread.items.push(user);
    send({ type: 'thread.item.done', item: user });
    send({ type: 'stream_options', stream_options: { allow_cancel: true } });
    for (const reply of replies(text)) {
      const item = assistantItem(thread.id, reply);
      send({ type: 'thread.item.added', item: { ...item, content: [] } });
      const part = { type: 'output_text', text: '', annotations: [] };
      const update = (u: unknown) => send({ type: 'thread.item.updated', item_id: item.id, update: u });
      update({ type: 'assistant_message.content_part.added', content_index: 0, content: part });
      for (let at = 0; at < reply.length; at += deltaSize) {
        update({
          type: 'assistant_message.content_part.text_delta',
          content_index: 0,
          delta: reply.slice(at, at + deltaSize),
        });
        await pace();
        // The page stopped the reply.
        if (res.destroyed) return;
      }
      update({
        type: 'assistant_message.content_part.done',
        content_index: 0,
        content: { ...part, text: reply },
      });
      send({ type: 'thread.item.done', item });
      thread.items.push(item);
    }
    for (const widget of options.widgets?.(text) ?? []) {
      const item = { id: id('msg'), thread_id: thread.id, created_at: now(), type: 'widget', widget };
      send({ type: 'thread.item.done', item });
      thread.items.push(item as unknown as StandInItem);
    }
    thread.title ??= text.slice(0, 60);
    send({ type: 'thread.updated', thread: meta(thread) });
    res.end();
  };

  const handleChatKit = (res: ServerResponse, type: string, params: Record<string, unknown>) => {
    const find = () => threads.find((thread) => thread.id === params.thread_id);
    const textOf = () =>
      ((params.input as { content?: Array<{ text?: string }> } | undefined)?.content ?? [])
        .map((part) => part.text ?? '')
        .join('');
    switch (type) {
      case 'threads.create': {
        const thread: StandInThread = { id: id('thr'), items: [] };
        threads.unshift(thread);
        return stream(res, thread, textOf(), true);
      }
      case 'threads.add_user_message': {
        const thread = find();
        return thread
          ? stream(res, thread, textOf(), false)
          : json(res, { error: { code: 'NOT_FOUND' } }, 404);
      }
      case 'threads.list':
        return json(res, { data: threads.map(meta), has_more: false });
      case 'threads.get_by_id': {
        const thread = find();
        if (!thread) return json(res, { error: { code: 'NOT_FOUND' } }, 404);
        return json(res, { ...meta(thread), items: { data: thread.items, has_more: false } });
      }
      case 'items.list':
        return json(res, { data: [], has_more: false });
      case 'threads.update': {
        const thread = find();
        if (!thread) return json(res, { error: { code: 'NOT_FOUND' } }, 404);
        thread.title = String(params.title);
        return json(res, meta(thread));
      }
      case 'threads.delete': {
        const index = threads.findIndex((thread) => thread.id === params.thread_id);
        if (index !== -1) threads.splice(index, 1);
        return json(res, {});
      }
      case 'items.feedback':
        return json(res, {});
      case 'input.transcribe': {
        if (!options.transcribe) break;
        const bytes = Buffer.from(String(params.audio_base64), 'base64');
        const mimeType = String(params.mime_type);
        audio.push({ bytes, mimeType });
        try {
          return json(res, { text: options.transcribe(bytes, mimeType) });
        } catch (error) {
          return json(res, { error: { code: 'PROVIDER_ERROR', message: String(error) } }, 502);
        }
      }
    }
    return json(res, { error: { code: 'BAD_REQUEST', message: `Not implemented: ${type}` } }, 400);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://stand-in');
      const file = /^\/widget\/(cartrita-chat(?:\.[a-z0-9-]+)?\.js)$/.exec(url.pathname)?.[1];
      if (req.method === 'GET' && file) {
        res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
        res.end(await readFile(`${dist}${file}`));
        return;
      }
      if (req.method === 'POST' && url.pathname === '/api/chatkit/session') {
        await readBody(req);
        return json(res, {
          client_secret: 'cks_stand_in',
          session_id: 'sess_stand_in',
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          capabilities: {
            transcription: options.transcribe !== undefined,
            attachments: { max_bytes: 1_000_000, accept: ['text/plain'] },
          },
        });
      }
      if (req.method === 'POST' && url.pathname === '/chatkit') {
        const body = JSON.parse(await readBody(req)) as { type: string; params?: Record<string, unknown> };
        calls.push(body.type);
        return await handleChatKit(res, body.type, body.params ?? {});
      }
      res.writeHead(404).end();
    } catch (error) {
      json(res, { error: { code: 'INTERNAL', message: String(error) } }, 500);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    threads,
    calls,
    audio,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** A page on the stand-in's origin, with what it printed. */
export interface StandInPage extends Page {
  /** Console errors and uncaught exceptions seen so far. */
  readonly errors: string[];
}

/**
 * Opens a page on the stand-in's origin whose body is `body`, with the script-tag file loaded by a
 * classic `<script src>`. `prepare` runs before navigation (to install traps and routes).
 */
export const openStandInPage = async (
  browser: Browser,
  standIn: StandIn,
  body: string,
  prepare?: (page: Page, context: BrowserContext) => Promise<void>,
): Promise<StandInPage> => {
  const context = await browser.newContext();
  const page = (await context.newPage()) as StandInPage;
  const errors: string[] = [];
  Object.defineProperty(page, 'errors', { value: errors });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
  await prepare?.(page, context);
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Widget test</title><script src="/widget/cartrita-chat.js"></script></head><body>${body}</body></html>`;
  await page.route(`${standIn.url}/page`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }),
  );
  await page.goto(`${standIn.url}/page`);
  return page;
};
