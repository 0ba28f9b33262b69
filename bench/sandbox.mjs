// Benchmark: the cost of one call of user code, in this thread (QuickJS as the mocks run it) and
// through the server's worker pool (a message each way), and calls per second through a pool of
// 2 workers; then how long each attack of the sandbox test takes to end. Bounded by call counts.
import { createQuickJsSandbox } from '../packages/engine/dist/quickjs/index.js';
import { createSandboxPool } from '../reference-server/dist/sandbox/index.js';
import { ms, quantile } from './stats.mjs';

const CALLS = 2_000;
const THROUGHPUT_CALLS = 4_000;
const code =
  'async function get_weather({ location }) { return { location, forecast: "sunny", temperature_c: 24 }; }';
const input = { location: 'Melbourne' };

const latencies = async (sandbox, owner = 'bench') => {
  for (let i = 0; i < 50; i++) await sandbox.run({ code, input, owner });
  const times = [];
  for (let i = 0; i < CALLS; i++) {
    const started = performance.now();
    const result = await sandbox.run({ code, input, owner });
    times.push(performance.now() - started);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
  }
  return `p50 ${ms(quantile(times, 0.5))}, p99 ${ms(quantile(times, 0.99))}`;
};

const inThread = createQuickJsSandbox({ concurrency: 1 });
console.log(`one call in this thread (${CALLS} calls, one at a time): ${await latencies(inThread)}`);
await inThread.close();

const pool = createSandboxPool({ workers: 2 });
console.log(`one call through the pool (${CALLS} calls, one at a time): ${await latencies(pool)}`);
const started = performance.now();
await Promise.all(
  Array.from({ length: THROUGHPUT_CALLS }, (_, i) => pool.run({ code, input, owner: `sess_${i % 16}` })),
);
const seconds = (performance.now() - started) / 1000;
console.log(
  `throughput with 2 workers: ${Math.round(THROUGHPUT_CALLS / seconds)} calls/s (${THROUGHPUT_CALLS} calls from 16 sessions at once)`,
);

const { attacks, attackTimeoutMs } = await import('../tests/sandbox/attacks.ts');
const ended = [];
for (const attack of attacks) {
  const begun = performance.now();
  const result = await pool.run({
    code: attack.code,
    input: { depth: 1 },
    timeoutMs: attackTimeoutMs,
    host: { emit: () => {} },
  });
  ended.push({
    name: attack.name,
    kind: result.ok ? 'ok' : result.error.kind,
    ms: performance.now() - begun,
  });
}
const slowest = ended.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(
  `${ended.length} attacks under a ${attackTimeoutMs} ms deadline: every one ended, the slowest (${slowest.name}, ${slowest.kind}) after ${ms(slowest.ms)}`,
);
await pool.close();
