import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../examples/react-vite/', import.meta.url));
const outDir = mkdtempSync(join(tmpdir(), 'cartrita-react-vite-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('the React + Vite example', () => {
  it('builds with Vite, with the element, its React binding and React in the bundle', async () => {
    // The example's own Vite, as `pnpm build` there would run it.
    const vitePath = createRequire(join(root, 'package.json')).resolve('vite');
    const { build } = (await import(pathToFileURL(vitePath).href)) as {
      build: (config: Record<string, unknown>) => Promise<unknown>;
    };
    await build({ root, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const script = /<script type="module" crossorigin src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
    expect(script).toMatch(/^index-.+\.js$/);
    const bundle = readFileSync(join(outDir, 'assets', script as string), 'utf8');
    expect(bundle).toContain('cartrita-chat');
    expect(bundle).toContain('cartrita-response-end');
    expect(bundle).toContain('Show every widget');
    // The lazily loaded parts of the widget stay out of the page's bundle, in chunks of their own.
    expect(bundle).not.toContain('RadioGroup');
    const assets = readdirSync(join(outDir, 'assets'));
    expect(
      assets.some((file) => readFileSync(join(outDir, 'assets', file), 'utf8').includes('RadioGroup')),
    ).toBe(true);
  }, 120_000);
});
