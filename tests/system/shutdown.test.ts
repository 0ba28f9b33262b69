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
});
