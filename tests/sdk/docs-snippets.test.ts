import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { CartritaClient } from '@cartrita/sdk';
import { describe, expect, it, vi } from 'vitest';
import { extractSnippets, type Snippet, typeCheckSnippets } from './doc-snippets.js';

// Every TypeScript snippet of docs/sdk.md is type-checked against the SDK's types with the
// repository's tsc, so the guide cannot drift from the types; the ones that can run in Node run
// against the mocks (@cartrita/msw).

const guide = fileURLToPath(new URL('../../docs/sdk.md', import.meta.url));

/**
 * What the guide's text leaves to the reader: a client made as shown at its top, the ids of things
 * made before, the reader's own logger and tracing. Declared as what the text says they are.
 */
const guideGlobals = `
declare const client: import('@cartrita/sdk').CartritaClient;
declare const baseURL: string;
declare const apiKey: string;
declare const clientSecret: string;
/** A conversation's id. */
declare const id: string;
/** A session's id. */
declare const sessionId: string;
/** A logger such as pino's. */
declare function pino(): import('@cartrita/sdk/core').Logger;
/** The reader's tracing: the current W3C traceparent. */
declare function currentTraceparent(): string;
/** The reader's page: shows an event. */
declare function render(event: unknown): void;
/** The reader's page: where a reply's text goes. */
declare const output: HTMLElement;
`;

describe('docs/sdk.md', async () => {
  const snippets = extractSnippets(await readFile(guide, 'utf8'));

  it('has TypeScript snippets to check', () => {
    expect(snippets.length).toBeGreaterThanOrEqual(10);
  });

  it('type-checks every snippet against the SDK with zero diagnostics', async () => {
    const { diagnostics } = await typeCheckSnippets(snippets, guideGlobals);
    // Each failure reads `docs/sdk.md:<line>:<column> TS<code> <message>`.
    expect(
      diagnostics.map((each) => `docs/sdk.md:${each.line}:${each.column} ${each.code} ${each.message}`),
    ).toEqual([]);
  }, 120_000);

  it('runs every snippet that can run in Node against the mocks', async () => {
    const ran = await runSnippets(snippets.filter((snippet) => !browserOnly(snippet)));
    expect(ran.map(({ line, outcome }) => [line, outcome])).toEqual(ran.map(({ line }) => [line, 'ran']));
    // What the snippets printed: the streamed replies, the finished command.
    expect(ran.length).toBeGreaterThanOrEqual(9);
    const streamed = ran.filter(({ code }) => code.includes('process.stdout.write'));
    expect(streamed.map(({ written }) => written.length > 0)).toEqual(streamed.map(() => true));
    expect(streamed.length).toBe(2);
    expect(ran.find(({ code }) => code.includes('commands.run'))?.logged).toContainEqual([
      'completed',
      { response: 'Processed: Hello, world!' },
    ]);
  }, 120_000);

  it("places a wrong snippet's diagnostic at its own line of the guide", async () => {
    const markdown = [
      '# A guide',
      '',
      '```ts',
      "const conversation = await client.conversations.create({ title: 'Notes' });",
      "await client.conversations.create({ title: 'Notes' }, { idempotencyKeys: 'note-42' });",
      '```',
    ].join('\n');
    const { diagnostics } = await typeCheckSnippets(extractSnippets(markdown), guideGlobals);
    expect(diagnostics.map(({ line, code }) => [line, code])).toEqual([[5, 'TS2561']]);
    expect(diagnostics[0]?.message).toContain("'idempotencyKeys'");
  }, 120_000);
});

/** Snippets that need a browser (`EventSource`, `localStorage`), which Node has not. */
const browserOnly = (snippet: Snippet): boolean => /\bnew EventSource\(|\blocalStorage\./.test(snippet.code);

/** Where the guide's examples send their calls; the mocks answer there. */
const mockBaseURL = 'https://chat.example.com';
const mockApiKey = 'ck_docs_snippets_0123456789';

/**
 * Runs snippets as modules, one after another, against the mocks at the guide's own base URL (a
 * snippet written for a local server is pointed there too), with the names {@link guideGlobals}
 * declares set to real things: a client, a conversation and a session made on the mocks.
 */
const runSnippets = async (list: Snippet[]) => {
  const store = createStore({ baseURL: mockBaseURL, apiKeys: [mockApiKey] });
  const mock = setupCartritaServer({ store });
  mock.listen({ onUnhandledFrame: 'error' });
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-doc-run-'));
  const logged: unknown[][] = [];
  let written = '';
  const spies = [
    vi.spyOn(console, 'log').mockImplementation((...args: unknown[]) => void logged.push(args)),
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void logged.push(args)),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written += String(chunk);
      return true;
    }),
  ];
  const env = process.env.CARTRITA_API_KEY;
  try {
    const client = new CartritaClient({ baseURL: mockBaseURL, apiKey: mockApiKey });
    const { client_secret } = await new CartritaClient({ baseURL: mockBaseURL }).chatkit.createSession();
    const conversation = await client.conversations.create({ title: 'From the guide' });
    const session = await client.sessions.create({ name: 'guide' });
    process.env.CARTRITA_API_KEY = mockApiKey;
    Object.assign(globalThis, {
      client,
      baseURL: mockBaseURL,
      apiKey: mockApiKey,
      clientSecret: client_secret,
      id: conversation.id,
      sessionId: session.session_id,
      pino: () => ({ error() {}, warn() {}, info() {}, debug() {} }),
      currentTraceparent: () => '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    const results: { line: number; code: string; outcome: string; logged: unknown[][]; written: string }[] =
      [];
    for (const snippet of list) {
      const file = join(dir, snippet.file);
      await writeFile(file, `${snippet.code.replaceAll('http://127.0.0.1:8000', mockBaseURL)}\nexport {};\n`);
      logged.length = 0;
      written = '';
      const outcome = await import(/* @vite-ignore */ pathToFileURL(file).href).then(
        () => 'ran',
        (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error)),
      );
      results.push({ line: snippet.line, code: snippet.code, outcome, logged: [...logged], written });
    }
    return results;
  } finally {
    for (const spy of spies) spy.mockRestore();
    if (env === undefined) delete process.env.CARTRITA_API_KEY;
    else process.env.CARTRITA_API_KEY = env;
    for (const name of [
      'client',
      'baseURL',
      'apiKey',
      'clientSecret',
      'id',
      'sessionId',
      'pino',
      'currentTraceparent',
    ]) {
      Reflect.deleteProperty(globalThis, name);
    }
    mock.close();
    await rm(dir, { recursive: true, force: true });
  }
};
