import { defaultUploadTypes } from '@cartrita/contracts';
import { describe, expect, it } from 'vitest';
import { createMemoryBlobStore } from '../blobs.js';
import { createEngine, type Engine } from '../engine.js';
import { isHttpError } from '../errors.js';
import { createMemoryRepositories } from '../memory.js';
import { createDemoProvider } from '../providers/demo.js';
import type { UpstreamCallSpec } from '../providers/upstream-call.js';
import { createSigner } from '../signer.js';
import type { WebSearchProvider, WebSearchRequest } from './web-provider.js';

const engineWith = (
  options: Pick<Parameters<typeof createEngine>[0], 'search' | 'callProvider'> = {},
): Engine =>
  createEngine({
    repositories: createMemoryRepositories(),
    blobs: createMemoryBlobStore(),
    signer: createSigner(new Uint8Array(32).fill(1)),
    providers: { list: [createDemoProvider({ paceMs: 0 })], default: 'demo' },
    uploads: { maxBytes: 1024 * 1024, allowedTypes: defaultUploadTypes },
    sessions: { ttlSeconds: 3600 },
    ...options,
  });

const upload = async (engine: Engine, userId: string, name: string, text: string) => {
  const { file_id } = await engine.files.upload(
    {
      name,
      mimeType: 'text/plain',
      bytes: (async function* () {
        yield new TextEncoder().encode(text);
      })(),
    },
    userId,
  );
  for (;;) {
    const status = await engine.files.status(file_id, userId);
    if (status.status === 'completed') return file_id;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe('local search', () => {
  it('finds the caller’s file chunks and memories in one list, best first, files first among equals', async () => {
    const engine = engineWith();
    const fileId = await upload(
      engine,
      'usr_a',
      'harbour.txt',
      'The harbour opens at dawn; harbour fees apply.',
    );
    const fact = await engine.memory.create(
      { type: 'fact', content: 'The user keeps a boat in the harbour' },
      'usr_a',
    );
    await engine.memory.create({ type: 'fact', content: 'The user likes tea' }, 'usr_a');
    await engine.memory.create({ type: 'fact', content: 'Another user’s harbour note' }, 'usr_b');

    const { results } = await engine.search.search({ query: 'harbour boat', provider: 'local' }, 'usr_a');
    expect(results).toEqual([
      {
        title: 'harbour.txt',
        url: `/files/status/${fileId}`,
        snippet: 'The harbour opens at dawn; harbour fees apply.',
        score: 1,
      },
      {
        title: 'Memory (fact)',
        url: `/memory/${fact.id}`,
        snippet: 'The user keeps a boat in the harbour',
        score: 1,
      },
    ]);
    await engine.fileQueue.stop();
  });

  it('keeps to the limit across files and memories', async () => {
    const engine = engineWith();
    for (const word of ['one', 'two', 'three']) {
      await engine.memory.create({ type: 'fact', content: `harbour note ${word}` }, 'usr_a');
    }
    const { results } = await engine.search.search(
      { query: 'harbour', provider: 'local', limit: 2 },
      'usr_a',
    );
    expect(results.map((result) => result.title)).toEqual(['Memory (fact)', 'Memory (fact)']);
    await engine.fileQueue.stop();
  });
});

describe('web search', () => {
  const tavily = (requests: WebSearchRequest[]): WebSearchProvider => ({
    name: 'tavily',
    search: async (request) => {
      requests.push(request);
      return [
        { title: 'Long', url: 'https://example.org/long', snippet: 'x'.repeat(400), score: 0.5 },
        { title: 'Best', url: 'https://example.org/best', snippet: 'best', score: 0.9 },
      ];
    },
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED for tavily without a provider', async () => {
    const error = await engineWith()
      .search.search({ query: 'harbour', provider: 'tavily' }, 'usr_a')
      .catch((reason: unknown) => reason);
    expect(isHttpError(error) && [error.status, error.code, error.details]).toEqual([
      503,
      'PROVIDER_NOT_CONFIGURED',
      { provider: 'tavily' },
    ]);
  });

  it('asks the provider through the provider door, with the limit, and cuts long snippets', async () => {
    const requests: WebSearchRequest[] = [];
    const calls: UpstreamCallSpec[] = [];
    const engine = engineWith({
      search: { web: [tavily(requests)] },
      callProvider: (spec, run) => {
        calls.push(spec);
        return run();
      },
    });
    const answer = await engine.search.search({ query: 'harbour', provider: 'tavily', limit: 2 }, 'usr_a');
    expect(requests.map(({ query, limit }) => ({ query, limit }))).toEqual([{ query: 'harbour', limit: 2 }]);
    expect(calls).toEqual([
      { provider: 'tavily', operation: 'search', cache: { request: { query: 'harbour', limit: 2 } } },
    ]);
    expect(answer.results.map((result) => [result.title, result.snippet.length])).toEqual([
      ['Long', 300],
      ['Best', 4],
    ]);
  });
});
