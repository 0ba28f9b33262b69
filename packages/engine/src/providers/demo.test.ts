import { expect, it, vi } from 'vitest';
import { tokenize } from '../text.js';
import { createDemoProvider, demoReply, longReply, searchReply, sourcesReply } from './demo.js';
import type { ProviderChunk } from './types.js';

const run = async (content: string, signal = new AbortController().signal) => {
  const chunks: ProviderChunk[] = [];
  for await (const chunk of createDemoProvider({ paceMs: 0 }).stream({
    messages: [{ role: 'user', content }],
    signal,
  }))
    chunks.push(chunk);
  return chunks;
};

it('streams /long token by token, two hundred numbered lines, and counts them in its usage', async () => {
  const chunks = await run('/long');
  const text = chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.delta] : [])).join('');
  expect(text).toBe(longReply);
  expect(text.split('\n')).toHaveLength(200);
  expect(text.split('\n')[199]).toBe('Line 200 of a long reply, streamed one word at a time.');
  expect(chunks.at(-1)).toEqual({
    type: 'usage',
    usage: {
      prompt_tokens: 1,
      completion_tokens: tokenize(longReply).length,
      total_tokens: tokenize(longReply).length + 1,
    },
  });
});

it('stops a paced reply at once when its signal aborts, and leaves no listener behind', async () => {
  const controller = new AbortController();
  const provider = createDemoProvider({ paceMs: 1000 });
  const { signal } = controller;
  const added = vi.spyOn(signal, 'addEventListener');
  const removed = vi.spyOn(signal, 'removeEventListener');
  const reading = (async () => {
    for await (const _ of provider.stream({ messages: [{ role: 'user', content: 'Hello' }], signal })) {
      // Nothing arrives: the first token is a second away.
    }
  })();
  setTimeout(() => controller.abort(new Error('stopped')), 20);
  await expect(reading).rejects.toThrow('stopped');
  expect(added.mock.calls.map(([type]) => type)).toEqual(['abort']);
  expect(removed.mock.calls.map(([type]) => type)).toEqual(['abort']);
});

it('offers a search tool, and answers with search results when a message picks it', async () => {
  const provider = createDemoProvider({ paceMs: 0 });
  expect(provider.tools).toEqual([{ id: 'search', label: 'Search' }]);
  const chunks: ProviderChunk[] = [];
  const signal = new AbortController().signal;
  const messages = [{ role: 'user' as const, content: 'install guide' }];
  for await (const chunk of provider.stream({ messages, signal, toolChoice: 'search' })) chunks.push(chunk);
  expect(chunks[0]).toEqual({ type: 'progress', text: 'Searching for "install guide"...', icon: 'search' });
  const text = chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.delta] : [])).join('');
  expect(text).toBe(searchReply('install guide'));
  expect(text.split('\n')[0]).toBe('**Search** results for *install guide*:');
});

it('ignores a tool it does not offer', async () => {
  const chunks: ProviderChunk[] = [];
  const signal = new AbortController().signal;
  const messages = [{ role: 'user' as const, content: 'A cat' }];
  for await (const chunk of createDemoProvider({ paceMs: 0 }).stream({
    messages,
    signal,
    toolChoice: 'draw',
  }))
    chunks.push(chunk);
  const text = chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.delta] : [])).join('');
  expect(text).toBe(demoReply('A cat'));
});

it('answers /sources with a deep link, then a URL, a file and two entity citations', async () => {
  const chunks = await run('/sources');
  const text = chunks.flatMap((chunk) => (chunk.type === 'text' ? [chunk.delta] : [])).join('');
  expect(text).toBe(sourcesReply);
  expect(text).toContain('(chatkit-link://orders/open?id=42&tab=items)');
  const sources = chunks.flatMap((chunk) => (chunk.type === 'annotation' ? [chunk.annotation.source] : []));
  expect(sources.map((source) => [source.type, source.title])).toEqual([
    ['url', 'Orders guide'],
    ['file', 'orders.csv'],
    ['entity', 'Order 42'],
    ['entity', 'Operations team'],
  ]);
});
