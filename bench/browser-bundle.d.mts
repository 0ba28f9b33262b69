import type { OutputChunk } from 'rollup';

/** See `browser-bundle.mjs`. */
export declare const bundleForBrowser: (
  source: string,
  dir: string,
  options?: { minify?: boolean },
) => Promise<OutputChunk>;
