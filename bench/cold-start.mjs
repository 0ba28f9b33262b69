// Benchmark: server cold start to ready, each run with a fresh data directory (so a fresh SQLite
// file and its migrations). Measures from spawning the process to the first 200 from /health.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms, quantile } from './stats.mjs';

const RUNS = 7;
const cli = fileURLToPath(new URL('../reference-server/dist/cli.js', import.meta.url));

const once = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cartrita-bench-'));
  const start = performance.now();
  const child = spawn(process.execPath, [cli, '--port', '0', '--data-dir', dataDir], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const url = await new Promise((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk) => {
        out += chunk;
        const match = /listening on (\S+)/.exec(out);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
      setTimeout(() => reject(new Error('server did not start within 20 s')), 20_000).unref();
    });
    const listening = performance.now() - start;
    const res = await fetch(`${url}/health`);
    if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
    return { listening, ready: performance.now() - start };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const runs = [];
for (let i = 0; i < RUNS; i++) runs.push(await once());
const ready = runs.map((r) => r.ready);
console.log(`Server cold start with a fresh SQLite file (${RUNS} runs)`);
console.log(
  `  spawn to first 200 from /health: median ${ms(quantile(ready, 0.5))}, max ${ms(Math.max(...ready))}`,
);
