/**
 * Cuts the HTTP stream of a chat reply at random points, through a real TCP proxy between the SDK and
 * the reference server, and checks that the SDK's `for await` loop still sees every frame exactly
 * once: the text equals the uninterrupted reply's, frame ids run 1..n with no gap or repeat. The cut
 * points come from a seeded PRNG (`CARTRITA_FAULT_SEED` overrides the seed) so a failure reproduces.
 */
import { CartritaClient, type ChatStream, type ChatStreamEvent } from '@cartrita/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { seededRandom, startProxy, type TcpProxy } from './proxy.js';

const SEED = Number(process.env.CARTRITA_FAULT_SEED ?? 0x5eed_c0de);
/** Runs per server; each cuts its first connection once, and sometimes its first reconnect too. */
const RUNS = 30;
const PROMPT = 'Explain, in a few sentences, why a dropped stream should resume where it left off.';

type Door = '/api/chat/stream' | '/chat/stream';

interface Collected {
  ids: string[];
  frames: ChatStreamEvent[];
  text: string;
}

const collect = async (stream: ChatStream): Promise<Collected> => {
  const ids: string[] = [];
  const frames: ChatStreamEvent[] = [];
  for await (const frame of stream) {
    ids.push(stream.lastEventId ?? '');
    frames.push(frame);
  }
  return { ids, frames, text: stream.text };
};

/** Where, in the raw bytes of a whole response, the start frame ends and the done frame begins. */
const landmarks = (raw: Buffer) => {
  const text = raw.toString('latin1');
  const start = text.indexOf('"type":"start"');
  const startEnd = text.indexOf('\n\n', start) + 2;
  const doneStart = text.lastIndexOf('id: ', text.indexOf('"type":"done"'));
  if (start < 0 || startEnd <= 2 || doneStart <= startEnd) throw new Error('Unexpected response bytes');
  return { startEnd, doneStart, total: raw.length };
};

describe.each([
  { name: 'a finished reply (pace 0)', pace: '0' },
  { name: 'a live reply (pace 1 ms)', pace: '1' },
])('random cuts of $name', ({ pace }) => {
  let server: TestServer;
  let proxy: TcpProxy;
  /** The cut points of the chat stream requests still to come, in order. */
  let plan: number[] = [];
  let secret: string;

  beforeAll(async () => {
    server = await startTestServer({ env: { DEMO_PACE_MS: pace } });
    proxy = await startProxy({
      target: server.url,
      cutAfter: (head) => (/^POST \/(api\/)?chat\/stream /.test(head) ? plan.shift() : undefined),
    });
    secret = (await new CartritaClient({ baseURL: server.url }).chatkit.createSession()).client_secret;
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it(`keeps every frame exactly once across ${RUNS} random cuts (seed ${SEED})`, async () => {
    const random = seededRandom(SEED + Number(pace));
    const client = new CartritaClient({ baseURL: proxy.url, clientSecret: secret });
    const open = (door: Door) =>
      door === '/chat/stream'
        ? client.studio.chat.stream({ message: PROMPT }, { reconnectDelay: 5, maxReconnects: 8 })
        : client.chat.stream({ message: PROMPT }, { reconnectDelay: 5, maxReconnects: 8 });

    const reference = new Map<Door, { text: string; count: number; bytes: ReturnType<typeof landmarks> }>();
    for (const door of ['/api/chat/stream', '/chat/stream'] as const) {
      plan = [];
      const whole = await collect(await open(door));
      reference.set(door, {
        text: whole.text,
        count: whole.frames.length,
        bytes: landmarks(proxy.lastResponse),
      });
      expect(whole.frames.at(-1)).toMatchObject({ type: 'done', response: whole.text });
    }

    const cutsBefore = proxy.cuts;
    for (let run = 0; run < RUNS; run++) {
      const door: Door = run % 2 === 0 ? '/api/chat/stream' : '/chat/stream';
      const { text, count, bytes } = reference.get(door)!;
      // The first cut falls after the start frame (before it there is no id to resume from) and
      // before the done frame; a third of the runs also cut the first reconnect anywhere.
      const first = bytes.startEnd + Math.floor(random() * (bytes.doneStart - bytes.startEnd));
      const second = random() < 1 / 3 ? Math.floor(random() * 1_500) : undefined;
      plan = second === undefined ? [first] : [first, second];
      const where = `seed ${SEED}, run ${run}, ${door}, cuts at ${plan.join(' and ')} of ${bytes.total} bytes`;

      const stream = await open(door);
      const got = await collect(stream);
      const responseId = stream.responseId;
      expect(got.ids, where).toEqual(Array.from({ length: count }, (_, i) => `${responseId}:${i + 1}`));
      expect(got.text, where).toBe(text);
      expect(new Set(got.ids).size, where).toBe(got.ids.length);
      expect(got.frames.at(-1), where).toMatchObject({ type: 'done', response: text, finish_reason: 'stop' });
      expect(stream.reconnects, where).toBeGreaterThanOrEqual(1);
    }
    plan = [];
    const cuts = proxy.cuts - cutsBefore;
    expect(cuts).toBeGreaterThanOrEqual(RUNS);
    console.info(`random cuts (pace ${pace}): ${cuts} connections cut over ${RUNS} replies, all resumed`);
  }, 60_000);
});
