/**
 * @module Loads code the way the script-tag build bundles it: through rollup with the build's plugins
 * (ky, zod/mini and eventsource-parser replaced by their stand-ins), so tests exercise what ships.
 * Needs the widget's tsc output (`packages/widget/dist`), like the build itself.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Plugin, rollup } from 'rollup';

// Loaded by URL: the config is plain JavaScript without type declarations.
const configUrl = new URL('../../rollup.config.mjs', import.meta.url).href;
const { default: configs } = (await import(/* @vite-ignore */ configUrl)) as {
  default: Array<{ plugins: Plugin[] }>;
};

/**
 * Bundles `source` (an ES module that may import `@cartrita/sdk`, `@cartrita/contracts`, `lit`, ...)
 * as the script-tag build would, without minifying, and imports the result.
 */
export const importBundled = async <T>(source: string): Promise<T> => {
  const main = configs[0]!;
  const plugins = main.plugins.filter((plugin) => plugin.name !== 'terser');
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-bundle-'));
  // Inside the widget's dist, so that its dependencies resolve as they do for the build.
  const entry = fileURLToEntry(source);
  const bundle = await rollup({
    input: entry.id,
    plugins: [entry.plugin, ...plugins],
    onwarn: () => {},
  });
  const { output } = await bundle.generate({ format: 'es' });
  const file = join(dir, 'bundle.mjs');
  await writeFile(file, output[0].code);
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
};

const widgetDist = new URL('../../packages/widget/dist/', import.meta.url).pathname;

const fileURLToEntry = (source: string) => {
  const id = join(widgetDist, '__test-entry.js');
  return {
    id,
    plugin: {
      name: 'test-entry',
      resolveId: (candidate: string) => (candidate === id ? id : null),
      load: (candidate: string) => (candidate === id ? source : null),
    },
  };
};
