import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^@cartrita\/contracts$/, replacement: src('./packages/contracts/src/index.ts') },
      { find: /^@cartrita\/engine$/, replacement: src('./packages/engine/src/index.ts') },
      { find: /^@cartrita\/engine\/quickjs$/, replacement: src('./packages/engine/src/quickjs/index.ts') },
      { find: /^@cartrita\/engine\/extract$/, replacement: src('./packages/engine/src/extract/index.ts') },
      {
        find: /^@cartrita\/engine\/extract\/pdf$/,
        replacement: src('./packages/engine/src/extract/pdf-only.ts'),
      },
      { find: /^@cartrita\/sdk$/, replacement: src('./packages/sdk/src/index.ts') },
      { find: /^@cartrita\/sdk\/core$/, replacement: src('./packages/sdk/src/core/index.ts') },
      { find: /^@cartrita\/sdk\/realtime$/, replacement: src('./packages/sdk/src/realtime/index.ts') },
      {
        find: /^@cartrita\/sdk\/(chat|chatkit|commands|conversations|engines|events|files|handlers|health|memory|messages|modules|observability|personas|search|sessions|studio|studio-config|system|templates|tools|voice)$/,
        replacement: src('./packages/sdk/src/resources/$1.ts'),
      },
      { find: /^@cartrita\/msw$/, replacement: src('./packages/msw/src/index.ts') },
      { find: /^@cartrita\/msw\/node$/, replacement: src('./packages/msw/src/node.ts') },
      { find: /^@cartrita\/msw\/browser$/, replacement: src('./packages/msw/src/browser.ts') },
      { find: /^@cartrita\/widget$/, replacement: src('./packages/widget/src/index.ts') },
      { find: /^@cartrita\/widget\/define$/, replacement: src('./packages/widget/src/define.ts') },
      { find: /^@cartrita\/react$/, replacement: src('./packages/react/src/index.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'reference-server/src/**/*.test.ts',
      'reference-server/test/**/*.test.ts',
      'tests/**/*.test.ts',
    ],
    globalSetup: ['./tests/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
