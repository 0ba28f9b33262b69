import { expect, it } from 'vitest';

it('imports without a DOM, as during server rendering', async () => {
  expect(globalThis.document).toBeUndefined();
  const markdown = await import('./index.js');
  expect(typeof markdown.renderMarkdown).toBe('function');
  expect(typeof markdown.MarkdownStream).toBe('function');
  expect(markdown.safeLinkUrl('https://example.com')).toBe('https://example.com/');
  expect(markdown.lexMarkdown('# a')[0]?.type).toBe('heading');
});
