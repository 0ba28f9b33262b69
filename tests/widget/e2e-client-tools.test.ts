import { describe, expect, it } from 'vitest';
import { lastReply, sendMessage, useWidgetEnv, waitForReady } from './browser.js';
import { recordChatKitCalls, serverThread, textOf, widgetState } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '2' });

const host = 'cartrita-chat';

/**
 * A page whose client tool waits until the test calls `window.__finishTool(result)` (or
 * `window.__failTool(message)`), so the test can act while the tool runs.
 */
const toolPage = `<cartrita-chat></cartrita-chat>
<script>
  document.querySelector('cartrita-chat').options = {
    onClientTool: ({ name, params }) =>
      new Promise((resolve, reject) => {
        window.__toolCall = { name, params };
        window.__finishTool = resolve;
        window.__failTool = (message) => reject(new Error(message));
      }),
  };
</script>`;

describe('client tools', () => {
  it('keeps the thread locked while the tool runs, then delivers its output before anything else', async () => {
    const page = await env.open(toolPage);
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await sendMessage(page, '/tool');
    await expect
      .poll(() => page.evaluate(() => (window as { __toolCall?: unknown }).__toolCall))
      .toEqual({
        name: 'get_page_info',
        params: { fields: ['title', 'url'] },
      });
    // The composer is locked: neither the button nor the method sends.
    await page.locator(`${host} [part~="input"]`).fill('Sent while the tool runs');
    expect(await page.locator(`${host} [part~="send-button"]`).isDisabled()).toBe(true);
    await page.locator(`${host} [part~="input"]`).press('Enter');
    const sentByMethod = await page
      .locator(host)
      .evaluate((element) =>
        (element as HTMLElement & { sendMessage(text: string): boolean }).sendMessage('x'),
      );
    expect(sentByMethod).toBe(false);
    await page.evaluate(() =>
      (window as unknown as { __finishTool: (value: unknown) => void }).__finishTool({ title: 'Docs' }),
    );
    await lastReply(page).waitFor();
    expect(calls.map((call) => call.type)).toEqual(['threads.create', 'threads.add_client_tool_output']);
    expect(calls[1]?.params.result).toEqual({ title: 'Docs' });
    const { secret, threadId } = await widgetState(page);
    const thread = await serverThread(env.server.url, secret, threadId ?? '');
    const tool = thread.items.data.find((item) => item.type === 'client_tool_call') as
      | { status?: string; output?: unknown }
      | undefined;
    expect(tool?.status).toBe('completed');
    expect(tool?.output).toEqual({ title: 'Docs' });
    expect(textOf(thread.items.data.at(-1))).toContain('{"title":"Docs"}');
    // Unlocked once the output is delivered: the draft typed meanwhile can now be sent.
    await expect.poll(() => page.locator(`${host} [part~="send-button"]`).isDisabled()).toBe(false);
    expect(page.errors).toEqual([]);
  });

  it("reports a failing tool to the server as the tool's error", async () => {
    const page = await env.open(toolPage);
    const calls = recordChatKitCalls(page);
    await waitForReady(page);
    await sendMessage(page, '/tool');
    await expect.poll(() => page.evaluate(() => '__failTool' in window)).toBe(true);
    await page.evaluate(() =>
      (window as unknown as { __failTool: (message: string) => void }).__failTool('The page has no title'),
    );
    await lastReply(page).waitFor();
    expect(calls[1]).toEqual({
      type: 'threads.add_client_tool_output',
      params: { thread_id: expect.stringMatching(/^thr_/), result: { error: 'The page has no title' } },
    });
    expect(await lastReply(page).textContent()).toContain('The page has no title');
  });
});
