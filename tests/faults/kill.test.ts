/**
 * Kills the server process (SIGKILL) in the middle of a reply and starts it again on the same data
 * directory and port: the stored messages are intact, the interrupted reply is marked incomplete, and
 * the SDK's `for await` loop, which never stopped, resumes across the restart and ends with the
 * `incomplete` frame, every frame once. Runs the built server (`reference-server/dist/cli.js`): the
 * test command builds before running the tests.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { CartritaClient, type ChatStreamEvent } from '@cartrita/sdk';
import { afterEach, describe, expect, it } from 'vitest';

const cli = fileURLToPath(new URL('../../reference-server/dist/cli.js', import.meta.url));

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Starts `cartrita-server` as a child process and resolves its URL once it listens. */
const startServer = (dataDir: string, port: number) =>
  new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    const child = spawn(process.execPath, [cli, '--port', String(port), '--data-dir', dataDir], {
      env: {
        PATH: process.env.PATH ?? '',
        API_HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        DEMO_PACE_MS: '20',
        RATE_LIMIT_PER_MINUTE: '0',
        RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.add(child);
    let output = '';
    const onData = (data: Buffer) => {
      output += data.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        child.stdout?.off('data', onData);
        resolve({ url: (match[1] as string).replace(/\/+$/, ''), child });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (data: Buffer) => {
      output += data.toString();
    });
    child.once('exit', (code) =>
      reject(new Error(`The server exited with ${code} before listening:\n${output}`)),
    );
  });

const killHard = async (child: ChildProcess) => {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
  children.delete(child);
};

/** Waits until the server's SQLite database holds frame `seq` of a reply (frames are written in batches). */
const waitForStoredFrame = async (dataDir: string, responseId: string, seq: number) => {
  const file = (await readdir(dataDir)).find((name) => /\.(db|sqlite)$/.test(name));
  if (!file) throw new Error(`No SQLite file in ${dataDir}`);
  const db = new DatabaseSync(join(dataDir, file), { readOnly: true });
  try {
    // A live reply's frames are in `chat_frame_log` until the reply ends, then in `chat_frames`.
    const query = db.prepare(
      `select max(seq) as seq from (select seq from chat_frames where response_id = ?1
         union all select seq from chat_frame_log where response_id = ?1)`,
    );
    for (let i = 0; i < 1_000; i++) {
      const row = query.get(responseId) as { seq: number | null } | undefined;
      if ((row?.seq ?? 0) >= seq) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`Frame ${seq} of ${responseId} was never stored`);
  } finally {
    db.close();
  }
};

describe('the server killed in the middle of a reply', () => {
  it('keeps every stored message, marks the reply incomplete, and the SDK resumes across the restart', async () => {
    expect(existsSync(cli), `${cli} is missing: build the server first (pnpm run build)`).toBe(true);
    const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-kill-'));
    dirs.push(dataDir);
    const first = await startServer(dataDir, 0);
    const port = Number(new URL(first.url).port);
    const { client_secret } = await new CartritaClient({ baseURL: first.url }).chatkit.createSession();
    const client = new CartritaClient({ baseURL: first.url, clientSecret: client_secret });

    const earlier = await client.chat.create({ message: '/workflow' });
    const conversation = earlier.conversation_id;
    const stream = await client.chat.stream(
      { message: '/slow', conversation_id: conversation },
      { reconnectDelay: 100, maxReconnects: 30 },
    );
    const ids: string[] = [];
    const frames: ChatStreamEvent[] = [];
    let restarted = false;
    for await (const frame of stream) {
      ids.push(stream.lastEventId ?? '');
      frames.push(frame);
      if (frames.length === 5 && !restarted) {
        // The loop holds still (the SDK reads nothing more) while the server dies and comes back.
        await waitForStoredFrame(dataDir, stream.responseId, 5);
        await killHard(first.child);
        await startServer(dataDir, port);
        restarted = true;
      }
    }

    expect(restarted).toBe(true);
    expect(stream.reconnects).toBeGreaterThanOrEqual(1);
    expect(ids).toEqual(ids.map((_, index) => `${stream.responseId}:${index + 1}`));
    const start = frames[0];
    if (start?.type !== 'start') throw new Error('The stream did not begin with start');
    expect(frames.at(-1)).toEqual({
      type: 'incomplete',
      message_id: start.message_id,
      reason: 'server_restarted',
    });
    expect(frames.slice(1, -1).every((frame) => frame.type === 'chunk')).toBe(true);
    const partial = stream.text;
    expect(partial.length).toBeGreaterThan(0);

    // Every stored message is intact: the earlier exchange, the question, and the partial answer.
    const list = await client.chatkit.items.list({ thread_id: conversation, order: 'asc' });
    // `/workflow` also stores a workflow item; the messages are what this test is about.
    const messages = list.data.filter((item) => item.type.endsWith('_message'));
    expect(messages.map((item) => item.type)).toEqual([
      'user_message',
      'assistant_message',
      'user_message',
      'assistant_message',
    ]);
    const texts = messages.map((item) =>
      item.type === 'user_message' || item.type === 'assistant_message'
        ? item.content.map((part) => part.text).join('')
        : '',
    );
    expect(texts).toEqual(['/workflow', earlier.response, '/slow', partial]);
    expect(messages[3]?.id).toBe(start.message_id);

    // The log is kept: a later resume from any frame gets the stored frames after it and the end.
    const replay = await client.chat.resume(`${stream.responseId}:2`);
    const replayed: ChatStreamEvent[] = [];
    for await (const frame of replay) replayed.push(frame);
    expect(replayed).toEqual(frames.slice(2));
    await expect(replay.finalResponse()).rejects.toMatchObject({ code: 'INCOMPLETE' });
  }, 60_000);
});
