import { ChatStreamFrame } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createSecret, useServer } from './helpers.js';

const post = (
  url: string,
  path: string,
  secret: string,
  body: unknown,
  headers: Record<string, string> = {},
) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}`, ...headers },
    body: JSON.stringify(body),
  });

/** Parses an SSE body of id + data frames (and heartbeat comments). */
const readFrames = async (res: Response) => {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const id = /^id: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      expect(block).not.toMatch(/^event:/m);
      return { id: id!, frame: ChatStreamFrame.parse(JSON.parse(data!)) };
    });
};

describe('the chat doors', () => {
  it('answers POST /api/chat with the whole reply in the ChatKit thread', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const res = await post(url, '/api/chat', secret, { message: 'Hello door' });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({
      provider: 'demo',
      model: 'demo-1',
      usage: { total_tokens: expect.any(Number) },
    });
    expect(body.response).toContain('Hello door');
    const thread = await post(url, '/chatkit', secret, {
      type: 'threads.get_by_id',
      params: { thread_id: body.conversation_id },
    });
    const items = (await thread.json()).items.data;
    expect(items.map((i: { type: string }) => i.type)).toEqual(['user_message', 'assistant_message']);
    expect(items[1].id).toBe(body.message_id);
    expect(items[1].content[0].text).toBe(body.response);

    const next = await (
      await post(url, '/api/chat', secret, { message: 'Again', conversation_id: body.conversation_id })
    ).json();
    expect(next.conversation_id).toBe(body.conversation_id);
  });

  it('streams frames with ids and resumes exactly after Last-Event-ID', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const frames = await readFrames(await post(url, '/api/chat/stream', secret, { message: 'Stream me' }));
    expect(frames[0]?.frame.type).toBe('start');
    expect(frames.at(-1)?.frame.type).toBe('done');
    const ids = frames.map((f) => f.id);
    expect(ids.every((id, i) => id.endsWith(`:${i + 1}`))).toBe(true);
    const done = frames.at(-1)!.frame;
    const chunks = frames.flatMap((f) => (f.frame.type === 'chunk' ? [f.frame.content] : []));
    expect(done.type === 'done' && done.response).toBe(chunks.join(''));

    const resumed = await readFrames(
      await post(url, '/api/chat/stream', secret, { message: 'ignored' }, { 'last-event-id': ids[4]! }),
    );
    expect(resumed.map((f) => f.id)).toEqual(ids.slice(5));
  });

  it('streams over GET for EventSource with the secret in access_token', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const res = await fetch(
      `${url}/api/chat/stream?message=${encodeURIComponent('Via GET')}&access_token=${secret}`,
    );
    expect(res.status).toBe(200);
    const frames = await readFrames(res);
    expect(frames.at(-1)?.frame.type).toBe('done');
  });

  it('answers POST /chat/ with a generated session_id that continues the conversation', async () => {
    const { url } = await useServer();
    const secret = await createSecret(url);
    const first = await (
      await post(url, '/chat/', secret, { message: 'Studio', context: ['file_1'] })
    ).json();
    expect(first.session_id).toMatch(/^thr_/);
    const second = await (
      await post(url, '/chat/', secret, { message: 'More', session_id: first.session_id })
    ).json();
    expect(second.session_id).toBe(first.session_id);
    const frames = await readFrames(
      await post(url, '/chat/stream', secret, { message: 'Streamed', session_id: first.session_id }),
    );
    expect(frames[0]?.frame).toMatchObject({ type: 'start', session_id: first.session_id });
  });

  it('cancels a streaming reply and saves the partial text', async () => {
    const { url } = await useServer({ env: { DEMO_PACE_MS: '5' } });
    const secret = await createSecret(url);
    const res = await post(url, '/api/chat/stream', secret, { message: '/slow' });
    const reader = res.body!.getReader();
    let text = '';
    while (!text.includes('"chunk"')) text += new TextDecoder().decode((await reader.read()).value);
    const start = JSON.parse(/data: (\{"type":"start".*)\n/.exec(text)![1]!);
    const cancelled = await (
      await post(url, `/api/chat/responses/${start.response_id}/cancel`, secret, {})
    ).json();
    expect(cancelled).toEqual({ response_id: start.response_id, status: 'cancelled' });
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    expect(text).toContain('"finish_reason":"cancelled"');
    const thread = await (
      await post(url, '/chatkit', secret, {
        type: 'items.list',
        params: { thread_id: start.conversation_id, order: 'asc' },
      })
    ).json();
    expect(thread.data.map((i: { type: string }) => i.type)).toEqual(['user_message', 'assistant_message']);
  });

  it('answers an unknown provider with 503 PROVIDER_NOT_CONFIGURED', async () => {
    const { url } = await useServer();
    const res = await post(url, '/api/chat', await createSecret(url), { message: 'x', provider: 'openai' });
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it("answers another user's reply with 404 on resume", async () => {
    const { url } = await useServer();
    const frames = await readFrames(
      await post(url, '/api/chat/stream', await createSecret(url), { message: 'Mine' }),
    );
    const res = await post(
      url,
      '/api/chat/stream',
      await createSecret(url),
      { message: 'x' },
      { 'last-event-id': frames[1]!.id },
    );
    expect(res.status).toBe(404);
  });
});

describe('secrets in logs', () => {
  it('never writes the access_token of an EventSource request to the log', async () => {
    const { mkdtemp, readFile } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { startTestServer } = await import('../src/testing.js');
    const logFile = join(await mkdtemp(join(tmpdir(), 'cartrita-log-')), 'api.log');
    const server = await startTestServer({ env: { LOG_LEVEL: 'info', LOG_FILE: logFile } });
    const secret = await createSecret(server.url);
    const res = await fetch(
      `${server.url}/api/chat/stream?message=${encodeURIComponent('Logged?')}&access_token=${secret}`,
    );
    await res.text();
    await server.close();
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('/api/chat/stream?message=Logged%3F&access_token=[REDACTED]');
    expect(log).not.toContain(secret);
    expect(log).not.toContain(secret.slice(4, 24));
  });
});
