// Bundling an app for a browser as a bundler ships it: rollup with node-resolve's `browser` condition,
// then terser. Shared by `bench/bundle-size.mjs` (what such a bundle weighs) and the SDK's tree-shaking
// test (which modules it keeps), so that both look at the same bundle.
import { fileURLToPath } from 'node:url';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { rollup } from 'rollup';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles an app whose whole code is `source` into one ES module. `dir` (from the repository's root) is
 * where the app lives, so that its imports resolve from there; `minify: false` leaves terser out.
 * Resolves with rollup's output chunk.
 */
export const bundleForBrowser = async (source, dir, { minify = true } = {}) => {
  const entry = `${root}${dir}/__browser-bundle-app.js`;
  const build = await rollup({
    input: entry,
    plugins: [
      {
        name: 'app',
        resolveId: (id) => (id === entry ? id : null),
        load: (id) => (id === entry ? source : null),
      },
      nodeResolve({ browser: true, exportConditions: ['browser'] }),
      ...(minify ? [terser({ ecma: 2022, compress: { passes: 3 }, format: { comments: false } })] : []),
    ],
    onwarn: () => {},
  });
  const { output } = await build.generate({ format: 'es' });
  await build.close();
  return output[0];
};
