/**
 * `POST /api/shutdown` on the built server in a child process: it answers, turns new requests
 * away, closes the event streams with 1001, and the process exits with 0, keeping what it stored.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startChildServer } from '../child-server.js';

const adminKey = 'shutdown-admin-key-0123456789';
const sessionsKey = 'shutdown-sessions-key-0123456789';
const env = { API_KEYS: `ops:admin:${adminKey},app:sessions:${sessionsKey}` };

const post = (url: string, path: string, key: string, body?: string) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body }),
  });

describe('POST /api/shutdown', () => {
  it('needs the admin scope and a valid body, and leaves the server up when refused', async () => {
    const server = await startChildServer({ env });
    const refused = await post(server.url, '/api/shutdown', sessionsKey);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    for (const body of [
      '{"deadline_seconds": -1}',
      '{"deadline_seconds": "soon"}',
      '{"deadline_seconds": 301}',
    ]) {
      expect((await post(server.url, '/api/shutdown', adminKey, body)).status, body).toBe(422);
    }
    expect((await post(server.url, '/api/shutdown', adminKey, '{')).status).toBe(400);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    expect(server.child.exitCode).toBeNull();
  });

  it('answers, closes event streams with 1001 and exits with 0, keeping what it stored', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-shutdown-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const server = await startChildServer({ env, dataDir });
    const created = (await (
      await post(server.url, '/api/sessions', sessionsKey, '{"name":"kept"}')
    ).json()) as {
      session_id: string;
    };
    const socket = new WebSocket(
      `${server.url.replace('http', 'ws')}/api/sessions/${created.session_id}/events/stream`,
      {
        headers: { 'x-api-key': sessionsKey },
      } as never,
    );
    const closed = new Promise<number>((resolve) =>
      socket.addEventListener('close', (event) => resolve(event.code)),
    );
    await new Promise((resolve) => socket.addEventListener('message', resolve, { once: true }));
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );

    const answer = await post(server.url, '/api/shutdown', adminKey, '{"deadline_seconds": 2}');
    expect(answer.status).toBe(202);
    expect(await answer.json()).toEqual({ status: 'shutting_down', deadline_seconds: 2, executing: 0 });
    expect(await closed).toBe(1001);
    expect(await exited).toBe(0);
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(server.log().some((line) => line.msg === 'Shutting down, as POST /api/shutdown asked')).toBe(true);

    const again = await startChildServer({ env, dataDir });
    const kept = await fetch(`${again.url}/api/sessions/${created.session_id}`, {
      headers: { 'x-api-key': sessionsKey },
    });
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { name: string }).name).toBe('kept');
  });

  it('cancels a reply that is streaming, files its whole log and records it cancelled before exiting', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-shutdown-'));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const server = await startChildServer({ env: { ...env, DEMO_PACE_MS: '20' }, dataDir });
    const { client_secret } = (await (
      await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' })
    ).json()) as { client_secret: string };
    const auth = { authorization: `Bearer ${client_secret}` };
    const stream = await fetch(`${server.url}/api/chat/stream`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ message: '/long' }),
    });
    const reader = stream.body!.pipeThrough(new TextDecoderStream()).getReader();
    let received = '';
    while ((received.match(/\n\n/g) ?? []).length < 5) received += (await reader.read()).value ?? '';
    const responseId = /id: (resp_[0-9a-f]+):1\n/.exec(received)![1]!;
    const exited = new Promise<number | null>((resolve) =>
      server.child.once('exit', (code) => resolve(code)),
    );
    expect((await post(server.url, '/api/shutdown', adminKey, '{"deadline_seconds": 5}')).status).toBe(202);
    expect(await exited).toBe(0);
    expect(
      server
        .log()
        .filter((line) => line.level >= 50)
        .map((line) => line.msg),
    ).toEqual([]);

    // The next process replays the reply from its log: every frame once, ending as cancelled.
    const again = await startChildServer({ env, dataDir });
    const replay = await fetch(`${again.url}/api/chat/stream`, {
      headers: { ...auth, 'last-event-id': `${responseId}:0` },
    });
    const frames = (await replay.text())
      .split('\n\n')
      .filter((block) => block.startsWith('id: '))
      .map((block) => ({
        id: block.slice(4, block.indexOf('\n')),
        frame: JSON.parse(block.slice(block.indexOf('data: ') + 6)) as {
          type: string;
          finish_reason?: string;
        },
      }));
    expect(frames.map((entry) => entry.id)).toEqual(frames.map((_, index) => `${responseId}:${index + 1}`));
    expect(frames[0]!.frame.type).toBe('start');
    expect(frames.at(-1)!.frame).toMatchObject({ type: 'done', finish_reason: 'cancelled' });
    expect(again.log().some((line) => line.msg === 'Recovered a reply interrupted by a restart')).toBe(false);
  });
});
