import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractSnippets, typeCheckSnippets } from './doc-snippets.js';

// Every TypeScript snippet of docs/sdk.md is type-checked against the SDK's types with the
// repository's tsc, so the guide cannot drift from the types; the ones that can run in Node run
// against the mocks (@cartrita/msw).

const guide = fileURLToPath(new URL('../../docs/sdk.md', import.meta.url));

/**
 * What the guide's text leaves to the reader: a client made as shown at its top, the ids of things
 * made before, the reader's own logger and tracing. Declared as what the text says they are.
 */
export const guideGlobals = `
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
