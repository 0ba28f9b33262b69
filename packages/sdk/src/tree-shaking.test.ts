import { describe, expect, it } from 'vitest';
import { bundleForBrowser } from '../../../bench/browser-bundle.mjs';

// What a browser bundle of the built SDK keeps, bundled as `bench/bundle-size.mjs` bundles it minus the
// minifier: the modules rollup renders, by path. Needs the build, as the test run makes it first.

/** The modules of the SDK and the contracts a bundle of `source` keeps code of, and that code. */
const bundle = async (source: string): Promise<Map<string, string>> => {
  const { modules } = await bundleForBrowser(source, 'packages/sdk', { minify: false });
  const kept = new Map<string, string>();
  for (const [id, module] of Object.entries(modules)) {
    const local = /packages\/((?:sdk|contracts)\/dist\/.*)$/.exec(id)?.[1];
    // A module whose only rendered text is its leading comment holds no code.
    const code = (module.code ?? '').replace(/\/\*[\s\S]*?\*\//g, '').trim();
    if (local && code !== '') kept.set(local, code);
  }
  return kept;
};

describe('a browser bundle of the client and one streaming chat call', () => {
  it('keeps the transport, the streams and the chat resource, and leaves paging and uploads out', async () => {
    const kept = await bundle(`
      import { createClient } from '@cartrita/sdk/core';
      import { Chat } from '@cartrita/sdk/chat';
      const client = createClient({ baseURL: location.origin, resources: { chat: Chat } });
      for await (const frame of await client.chat.stream({ message: 'Hello' })) console.log(frame);`);
    expect([...kept.keys()].filter((path) => path.startsWith('sdk/')).sort()).toEqual([
      'sdk/dist/core/api-promise.js',
      'sdk/dist/core/create-client.js',
      'sdk/dist/core/errors.js',
      'sdk/dist/core/headers.js',
      'sdk/dist/core/logger.js',
      'sdk/dist/core/path.js',
      'sdk/dist/core/request.js',
      'sdk/dist/core/resource.js',
      'sdk/dist/core/resumable-stream.js',
      'sdk/dist/core/retry.js',
      'sdk/dist/core/stream.js',
      'sdk/dist/core/timeouts.js',
      'sdk/dist/resources/chat.js',
    ]);
  }, 60_000);

  it('takes from the files and modules schemas only the pieces a chat frame holds', async () => {
    const kept = await bundle(`
      import { ChatStreamFrame } from '@cartrita/contracts';
      console.log(ChatStreamFrame.safeParse(JSON.parse(document.body.textContent)));`);
    expect([...kept.keys()].filter((path) => path.startsWith('contracts/')).sort()).toEqual([
      'contracts/dist/areas/chat/frames.js',
      'contracts/dist/areas/chat/requests.js',
      'contracts/dist/areas/files/schemas.js',
      'contracts/dist/areas/personas/modules.js',
      'contracts/dist/query.js',
    ]);
    const declared = (path: string) =>
      [...(kept.get(path) ?? '').matchAll(/^const (\w+) =/gm)].map((match) => match[1]);
    expect(declared('contracts/dist/areas/files/schemas.js')).toEqual(['FileSource']);
    expect(declared('contracts/dist/areas/personas/modules.js')).toEqual([
      'ModuleType',
      'ScriptLog',
      'ModuleRunReport',
    ]);
    // Statements kept for their side effects would be schemas no one named: there are none.
    expect(kept.get('contracts/dist/areas/files/schemas.js')).not.toContain('file_processing_update');
  }, 60_000);
});
