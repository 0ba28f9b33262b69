import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';
import { expectProgramResult } from './runtimes/expect-program.js';

// The built SDK under each server-side runtime the SDK supports: Node 24, Bun and Deno, each running
// the same program (tests/sdk/runtimes/program.mjs: a chat call, streams with their responses, paging,
// a typed error, uploads with progress, a file read by path, logging)
// against the real server. Bun and Deno are the pinned devDependencies `bun` and `deno`, whose
// platform packages carry the binaries. The same program runs in Chromium in tests/sdk/browser-upload.test.ts.

const run = promisify(execFile);
const script = fileURLToPath(new URL('./runtimes/sdk-script.mjs', import.meta.url));
const program = fileURLToPath(new URL('./runtimes/program.mjs', import.meta.url));
const sdkDist = fileURLToPath(new URL('../../packages/sdk/dist/index.js', import.meta.url));

/** The binary inside a runtime's platform package, which the runtime's npm package depends on. */
const platformBinary = (runtime: 'bun' | 'deno'): string => {
  const require = createRequire(import.meta.url);
  const from = createRequire(require.resolve(`${runtime}/package.json`));
  const { platform, arch } = process;
  const [name, file] =
    runtime === 'bun'
      ? [`@oven/bun-${platform}-${arch}`, 'bin/bun']
      : [`@deno/${platform}-${arch}-glibc`, 'deno'];
  return join(dirname(from.resolve(`${name}/package.json`)), file);
};

let server: TestServer;
let denoDir: string;
beforeAll(async () => {
  if (!existsSync(sdkDist)) throw new Error(`${sdkDist} is missing: build the packages first (pnpm build).`);
  server = await startTestServer();
  denoDir = await mkdtemp(join(tmpdir(), 'cartrita-deno-'));
});
afterAll(async () => {
  await server?.close();
  if (denoDir) await rm(denoDir, { recursive: true, force: true });
});

const runtimes: Record<string, () => [string, string[]]> = {
  node: () => [process.execPath, [script]],
  bun: () => [platformBinary('bun'), ['run', script]],
  deno: () => [
    platformBinary('deno'),
    ['run', '--quiet', '--allow-net=127.0.0.1', '--allow-env', '--allow-read', script],
  ],
};

describe.each(Object.keys(runtimes))('the SDK under %s', (runtime) => {
  it('runs the program against the real server', async () => {
    const [binary, args] = (runtimes[runtime] as () => [string, string[]])();
    const { stdout } = await run(binary, args, {
      env: {
        PATH: process.env.PATH,
        CARTRITA_URL: server.url,
        DENO_DIR: denoDir,
        DENO_NO_UPDATE_CHECK: '1',
        NO_COLOR: '1',
      },
      timeout: 60_000,
    });
    const seen = JSON.parse(stdout.trim().split('\n').at(-1) ?? '');
    expectProgramResult(seen, { name: 'program.mjs', size: statSync(program).size, head: '/*' });
  }, 90_000);
});
