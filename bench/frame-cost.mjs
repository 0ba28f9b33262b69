// Benchmark: the CPU time one streamed frame costs, layer by layer, measured as process CPU time
// (user + system) per frame rather than as a rate, so a busy machine distorts it less. Each layer
// runs the same `/long` reply (about 2,600 frames) at demo pace 0, CONCURRENT replies at a time:
//
//   provider         the demo provider's tokens alone
//   turn             the ChatKit turn: the provider's tokens as thread events, saved by the protocol's rules
//   chat service     the turn as frames with the durable frame log (SQLite), delivered to a listener
//
// `node bench/frame-cost.mjs`. Bounded: ROUNDS rounds of CONCURRENT replies per layer.
import { createDemoProvider } from '../packages/engine/dist/index.js';
import { startTestServer } from '../reference-server/dist/testing.js';

const CONCURRENT = 50;
const ROUNDS = 3;

/** CPU microseconds per frame of `run`, which resolves with the frames it produced. */
const cost = async (run) => {
  const before = process.cpuUsage();
  const frames = await run();
  const used = process.cpuUsage(before);
  return { frames, perFrame: (used.user + used.system) / frames };
};

// `node bench/frame-cost.mjs paced` runs the paced part alone.
const pacedOnly = process.argv[2] === 'paced';

/** Each layer at pace 0. */
const unpaced = async () => {
  const server = await startTestServer();
  try {
    const { engine } = server.running.context;
    const layers = {
      provider: async () => {
        const provider = createDemoProvider({ paceMs: 0 });
        const one = async () => {
          let n = 0;
          for await (const chunk of provider.stream({
            messages: [{ role: 'user', content: '/long' }],
            signal: new AbortController().signal,
          }))
            if (chunk.type === 'text') n++;
          return n;
        };
        return (await Promise.all(Array.from({ length: CONCURRENT }, one))).reduce((a, b) => a + b, 0);
      },
      turn: async () => {
        const one = async (i) => {
          const turn = await engine.chatkit.startTurn(
            { text: '/long' },
            { userId: `bench-${i}`, baseUrl: server.url, signal: new AbortController().signal },
          );
          let n = 0;
          for await (const event of turn.events) if (event.type === 'thread.item.updated') n++;
          return n;
        };
        return (await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => one(i)))).reduce(
          (a, b) => a + b,
          0,
        );
      },
      'chat service': async () => {
        const one = async (i) => {
          const live = await engine.chat.start({ text: '/long', userId: `bench-${i}`, baseUrl: server.url });
          return new Promise((resolve) => {
            let n = 0;
            live.listen(0, (frame) => {
              if (frame === 'end') resolve(n);
              else n++;
            });
          });
        };
        return (await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => one(i)))).reduce(
          (a, b) => a + b,
          0,
        );
      },
    };
    console.log(`CPU per frame, ${CONCURRENT} concurrent /long replies at pace 0, best of ${ROUNDS} rounds`);
    for (const [name, run] of Object.entries(layers)) {
      await run();
      let best;
      for (let i = 0; i < ROUNDS; i++) {
        const result = await cost(run);
        if (!best || result.perFrame < best.perFrame) best = result;
      }
      console.log(
        `  ${name.padEnd(14)} ${best.perFrame.toFixed(1).padStart(7)} µs per frame (${best.frames} frames)`,
      );
    }
  } finally {
    await server.close();
  }
};

// The same chat service with replies paced as a model streams (a frame every 10 ms each): batches
// of the log are then small, and timers many.
const PACED = 500;
const PACED_MS = 5000;
const pacedRun = async () => {
  const paced = await startTestServer({ env: { DEMO_PACE_MS: '10', MAX_CONCURRENT_REPLIES_PER_USER: '0' } });
  try {
    const { engine } = paced.running.context;
    const lives = [];
    let frames = 0;
    for (let i = 0; i < PACED; i++) {
      const live = await engine.chat.start({ text: '/long', userId: `bench-${i % 50}`, baseUrl: paced.url });
      live.listen(0, (frame) => {
        if (frame !== 'end') frames++;
      });
      lives.push(live);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const before = process.cpuUsage();
    const start = frames;
    await new Promise((resolve) => setTimeout(resolve, PACED_MS));
    const used = process.cpuUsage(before);
    const counted = frames - start;
    console.log(
      `  ${PACED} replies paced 10 ms: ${((used.user + used.system) / counted).toFixed(1)} µs per frame ` +
        `(${counted} frames in ${PACED_MS / 1000} s)`,
    );
    for (const live of lives) engine.chat.cancel(live.id, live.userId);
  } finally {
    await paced.close();
  }
};

if (!pacedOnly) await unpaced();
await pacedRun();
