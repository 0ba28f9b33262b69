import { describe, expect, it } from 'vitest';
import { lastReply, useWidgetEnv, waitForReady } from './browser.js';
import { recordChatKitCalls, serverThread, waitForIdle, widgetState } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
const page = `<cartrita-chat></cartrita-chat>
<script>
  window.__queries = [];
  window.__clicked = [];
  const people = [
    { id: 'person_ada', text: '@Ada Lovelace', group: 'People', data: { team: 'maths' } },
    { id: 'person_alan', text: '@Alan Turing', group: 'People' },
  ];
  document.querySelector('cartrita-chat').options = {
    entities: {
      onTagSearch: async (query) => {
        window.__queries.push(query);
        return people.filter((p) => p.text.toLowerCase().includes(query.toLowerCase()));
      },
      onClick: (tag) => window.__clicked.push(tag.id),
    },
  };
</script>`;

describe('entities', () => {
  it('searches @-mentions through the page, sends the picked ones as input_tag, and makes them clickable', async () => {
    const p = await env.open(page);
    const calls = recordChatKitCalls(p);
    await waitForReady(p);
    const input = p.locator(`${host} [part~="input"]`);
    await input.pressSequentially('Ask @a');
    const options = p.locator(`${host} [part~="commands"] [role="option"]`);
    await expect
      .poll(async () => (await options.allTextContents()).map((text) => text.trim()))
      .toEqual(['@Ada Lovelace People', '@Alan Turing People']);
    await input.pressSequentially('d');
    await expect.poll(() => options.count()).toBe(1);
    await input.press('Enter');
    expect(await input.inputValue()).toBe('Ask ');
    expect((await p.locator(`${host} [part~="composer-tag"]`).textContent())?.trim()).toBe('@Ada Lovelace');
    expect(await p.evaluate(() => (window as unknown as { __queries: string[] }).__queries)).toEqual([
      '',
      'a',
      'ad',
    ]);
    await input.pressSequentially('about engines');
    await input.press('Enter');
    await lastReply(p).waitFor();
    await waitForIdle(p);
    const content = (calls[0]!.params.input as { content: unknown[] }).content;
    expect(content).toEqual([
      {
        type: 'input_tag',
        id: 'person_ada',
        text: '@Ada Lovelace',
        data: { team: 'maths' },
        group: 'People',
        interactive: false,
      },
      { type: 'input_text', text: 'Ask about engines' },
    ]);
    expect(await p.locator(`${host} [part~="composer-tag"]`).count()).toBe(0);
    const { secret, threadId } = await widgetState(p);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    expect(
      (thread.items.data[0]!.content as unknown as Array<{ type: string }>).map((part) => part.type),
    ).toEqual(['input_tag', 'input_text']);
    await p.locator(`${host} [part~="bubble"] [part~="tag"]`).click();
    expect(await p.evaluate(() => (window as unknown as { __clicked: string[] }).__clicked)).toEqual([
      'person_ada',
    ]);
  });
});
