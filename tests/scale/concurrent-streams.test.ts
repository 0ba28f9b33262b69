/**
 * Two thousand replies streaming at once from one server process: every one completes, and each
 * client reads exactly the text its own reply should have, with its frames numbered without a gap.
 */
import http from 'node:http';
import { demoReply } from '@cartrita/engine';
import { expect, it } from 'vitest';
import { startChildServer } from '../child-server.js';

const STREAMS = 2000;
const USERS = 20;

interface Frame {
  id: string;
  data: { type: string; content?: string; response?: string };
}

/** POSTs one stream and resolves with its frames once it ends. */
const readStream = (agent: http.Agent, url: string, secret: string, message: string) =>
  new Promise<Frame[]>((resolve, reject) => {
    const request = http.request(
      `${url}/api/chat/stream`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      },
      (response) => {
        if (response.statusCode !== 200) {
          reject(new Error(`status ${response.statusCode}`));
          response.resume();
          return;
        }
        response.setEncoding('utf8');
        let text = '';
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () =>
          resolve(
            text
              .split('\n\n')
              .filter((block) => block.startsWith('id: '))
              .map((block) => {
                const [idLine, dataLine] = block.split('\n') as [string, string];
                return { id: idLine.slice(4), data: JSON.parse(dataLine.slice(6)) };
              }),
          ),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify({ message }));
  });

it(`streams ${STREAMS} replies at once, each whole and in order`, { timeout: 180_000 }, async () => {
  const server = await startChildServer({
    // Paced, so every reply is still streaming while the last ones open.
    env: { DEMO_PACE_MS: '25', MAX_CONCURRENT_REPLIES_PER_USER: '0' },
  });
  const secrets: string[] = [];
  for (let i = 0; i < USERS; i++) {
    const res = await fetch(`${server.url}/api/chatkit/session`, { method: 'POST' });
    secrets.push(((await res.json()) as { client_secret: string }).client_secret);
  }
  const agent = new http.Agent({ keepAlive: false, maxSockets: Number.POSITIVE_INFINITY });
  try {
    const messages = Array.from({ length: STREAMS }, (_, i) => `Stream number ${i}`);
    const streams = await Promise.all(
      messages.map((message, i) => readStream(agent, server.url, secrets[i % USERS] as string, message)),
    );
    const mismatches = streams.flatMap((frames, i) => {
      const expected = demoReply(messages[i] as string);
      const text = frames
        .flatMap((frame) => (frame.data.type === 'chunk' ? [frame.data.content] : []))
        .join('');
      const last = frames.at(-1);
      const responseId = frames[0]?.id.split(':')[0];
      const numbered = frames.every((frame, index) => frame.id === `${responseId}:${index + 1}`);
      return text === expected && last?.data.type === 'done' && last.data.response === expected && numbered
        ? []
        : [{ stream: i, frames: frames.length, last: last?.data.type }];
    });
    expect(mismatches).toEqual([]);
    expect(new Set(streams.map((frames) => frames[0]?.id.split(':')[0])).size).toBe(STREAMS);
  } finally {
    agent.destroy();
  }
});
