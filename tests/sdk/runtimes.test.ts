import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../reference-server/src/testing.js';

// The built SDK under each server-side runtime the SDK supports: Node 24, Bun and Deno, each running
// the same small program (tests/sdk/runtimes/sdk-script.mjs: a chat call, two streams, two uploads, a file read by path)
// against the real server. Bun and Deno are the pinned devDependencies `bun` and `deno`, whose
// platform packages carry the binaries; Chromium is tests/sdk/browser-upload.test.ts.

const run = promisify(execFile);
const script = fileURLToPath(new URL('./runtimes/sdk-script.mjs', import.meta.url));
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
  it('makes a chat call, reads two streams and uploads two files against the real server', async () => {
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
    expect(seen).toEqual({
      chat: { text: true, requestId: 'string' },
      stream: { first: 'start', last: 'done', text: true },
      chatkit: { status: 200, first: 'thread.created', done: true },
      upload: {
        name: 'trip.txt',
        size: 200_000,
        steps: seen.upload.steps,
        last: seen.upload.last,
      },
      attachment: { name: 'hello.txt', mime: 'text/plain' },
      path: { name: 'sdk-script.mjs', size: statSync(script).size, head: '//' },
    });
    // 0, then each 64 KiB piece of a request of about 200 KB: progress along the way, not only the ends.
    expect(seen.upload.steps).toBeGreaterThanOrEqual(4);
    expect(seen.upload.last).toBeGreaterThan(200_000);
  }, 90_000);
});
