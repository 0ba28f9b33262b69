import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import {
  recordChatKitCalls,
  recordEvents,
  recordedEvents,
  serverThread,
  waitForIdle,
  widgetState,
} from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '1' });

const host = 'cartrita-chat';
const withMenus = `<cartrita-chat></cartrita-chat>
<script>
  document.querySelector('cartrita-chat').options = {
    composer: {
      tools: [
        { id: 'search', label: 'Search the docs', placeholderOverride: 'What should I look up?' },
        { id: 'draw', label: 'Draw', persistent: true },
      ],
      models: [
        { id: 'demo-1', label: 'Demo' },
        { id: 'demo/careful', label: 'Demo, careful', default: true },
        { id: 'demo/retired', label: 'Retired', disabled: true },
      ],
    },
  };
</script>`;

const inferenceOf = (call: { params: Record<string, unknown> } | undefined) =>
  (call?.params.input as { inference_options: unknown } | undefined)?.inference_options;

describe('composer tools and models', () => {
  it('sends the tool and model picked, and forgets a tool that is not persistent', async () => {
    const page = await env.open(withMenus, { head: recordEvents });
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    const tools = page.locator(`${host} [part~="tool-picker"]`);
    const models = page.locator(`${host} [part~="model-picker"]`);
    expect(await tools.locator('option').allTextContents()).toEqual(['No tool', 'Search the docs', 'Draw']);
    expect(await models.inputValue()).toBe('demo/careful');
    expect(await models.locator('option[disabled]').textContent()).toBe('Retired');
    await tools.selectOption('search');
    expect(await page.locator(`${host} [part~="input"]`).getAttribute('placeholder')).toBe(
      'What should I look up?',
    );
    await models.selectOption('demo-1');
    await sendMessage(page, 'Find the install guide');
    await waitForIdle(page);
    expect(inferenceOf(calls[0])).toEqual({ tool_choice: { id: 'search' }, model: 'demo-1' });
    // The tool was for one message; the model stays.
    expect(await tools.inputValue()).toBe('');
    await tools.selectOption('draw');
    await sendMessage(page, 'A cat');
    await waitForIdle(page);
    await sendMessage(page, 'A dog');
    await waitForIdle(page);
    expect(calls.slice(1).map(inferenceOf)).toEqual([
      { tool_choice: { id: 'draw' }, model: 'demo-1' },
      { tool_choice: { id: 'draw' }, model: 'demo-1' },
    ]);
    const changes = await page.evaluate(() =>
      (window as unknown as { __events: Array<{ type: string; detail: unknown }> }).__events
        .filter((event) => event.type === 'cartrita-tool-change')
        .map((event) => event.detail),
    );
    expect(changes).toEqual([{ toolId: 'search' }, { toolId: null }, { toolId: 'draw' }]);
    expect(await recordedEvents(page, 'cartrita-error')).toEqual([]);
  });

  it('fills the menus from what the server reports: its tools, and no model menu for one model', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    const capabilities = (await page
      .locator(host)
      .evaluate(
        (element) => (element as unknown as { session: { capabilities: unknown } }).session.capabilities,
      )) as { models?: unknown; tools?: unknown };
    expect(capabilities.models).toEqual([{ id: 'demo-1', label: 'demo-1 (demo)', default: true }]);
    expect(capabilities.tools).toEqual([{ id: 'search', label: 'Search' }]);
    const tools = page.locator(`${host} [part~="tool-picker"]`);
    expect(await tools.locator('option').allTextContents()).toEqual(['No tool', 'Search']);
    expect(await page.locator(`${host} [part~="model-picker"]`).count()).toBe(0);
    await sendMessage(page, 'Hello');
    await waitForIdle(page);
    expect(inferenceOf(calls[0])).toEqual({});
    expect(await lastReply(page).textContent()).toContain('You wrote: Hello');
    expect((await widgetState(page)).threadId).toMatch(/^thr_/);
  });

  it('sends the server-reported search tool, and the demo reply honours it', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await page.locator(`${host} [part~="tool-picker"]`).selectOption('search');
    await sendMessage(page, 'install guide');
    await waitForIdle(page);
    expect(inferenceOf(calls[0])).toEqual({ tool_choice: { id: 'search' } });
    const reply = lastReply(page);
    expect(await reply.locator('strong').first().textContent()).toBe('Search');
    expect(await reply.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))).toEqual(
      [
        'https://example.com/docs/getting-started',
        'https://example.com/docs/configuration',
        'https://example.com/docs/troubleshooting',
      ],
    );
    // The server keeps the choice with the message: a retry, which names no tool, searches again.
    const { secret, threadId } = await widgetState(page);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    const sent = thread.items.data.find((item) => item.type === 'user_message') as
      | { inference_options?: unknown }
      | undefined;
    expect(sent?.inference_options).toEqual({ tool_choice: { id: 'search' } });
    const before = await widgetState(page);
    const oldAnswer = before.items.find((item) => item.type === 'assistant_message')?.id;
    await lastReply(page).locator('[part~="action-button"][aria-label="Retry"]').click();
    await expect
      .poll(async () => (await widgetState(page)).items.map((item) => item.id))
      .not.toContain(oldAnswer);
    await waitForIdle(page);
    expect(calls.map((call) => call.type)).toEqual(['threads.create', 'threads.retry_after_item']);
    expect(await lastReply(page).locator('strong').first().textContent()).toBe('Search');
  });
});
