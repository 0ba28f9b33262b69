import { describe, expect, it } from 'vitest';
import { lastReply, useWidgetEnv, type WidgetPage, waitForReady } from './browser.js';
import { axeViolations, recordChatKitCalls, serverThread, widgetState } from './e2e-helpers.js';

const env = useWidgetEnv({ DEMO_PACE_MS: '0' });

const host = 'cartrita-chat';
const file = (name: string, kilobytes: number) => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.alloc(kilobytes * 1024, `${name}\n`),
});

/** Picks files through the attach button and the browser's file chooser, as a user does. */
const pickFiles = async (page: WidgetPage, files: ReturnType<typeof file>[]) => {
  const chooser = page.waitForEvent('filechooser');
  await page.locator(`${host} [part~="attach-button"]`).click();
  await (await chooser).setFiles(files);
};

/** Records, on every frame, the value of each upload's progress bar by file name. */
const sampleProgress = (page: WidgetPage) =>
  page.evaluate((host) => {
    const root = document.querySelector(host)!.shadowRoot!;
    const seen: Record<string, number[]> = {};
    (window as unknown as { __progress: typeof seen }).__progress = seen;
    const sample = () => {
      for (const bar of root.querySelectorAll<HTMLProgressElement>('[part~="attachment-progress"]')) {
        const name = bar.getAttribute('aria-label') ?? '';
        const values = seen[name] ?? [];
        seen[name] = values;
        if (values.at(-1) !== bar.value) values.push(bar.value);
      }
      requestAnimationFrame(sample);
    };
    sample();
  }, host);

const chips = (page: WidgetPage) => page.locator(`${host} [part~="attachment"]`);

describe('attachments', () => {
  it('shows per-file upload progress, removes files before sending, and sends the rest', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    const calls = recordChatKitCalls(page);
    // Slow uploads down so that their progress can be seen.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: 256 * 1024,
    });
    await sampleProgress(page);

    await pickFiles(page, [file('notes.txt', 160), file('draft.txt', 160), file('extra.txt', 160)]);
    await expect.poll(() => chips(page).count()).toBe(3);
    expect(await chips(page).first().getAttribute('data-status')).toBe('uploading');
    // Sending waits for the uploads.
    await page.locator(`${host} [part~="input"]`).fill('Here are my files');
    expect(await page.locator(`${host} [part~="send-button"]`).isDisabled()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);

    // Removed while it uploads: the upload stops.
    expect(await chips(page).filter({ hasText: 'extra.txt' }).getAttribute('data-status')).toBe('uploading');
    await page.locator(`${host} [part~="remove-attachment"][aria-label="Remove extra.txt"]`).click();
    await expect.poll(() => chips(page).count()).toBe(2);

    await expect
      .poll(() => chips(page).evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-status'))), {
        timeout: 15_000,
      })
      .toEqual(['done', 'done']);
    const progress = await page.evaluate(
      () => (window as unknown as { __progress: Record<string, number[]> }).__progress,
    );
    // Each file had its own bar, which moved between empty and full.
    for (const name of ['notes.txt', 'draft.txt']) {
      expect(
        progress[name]?.some((value) => value > 0 && value < 1),
        `${name}: ${progress[name]}`,
      ).toBe(true);
    }
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });

    // Removed once uploaded: the attachment is deleted on the server (extra.txt was announced
    // before it was removed, so it was deleted too).
    expect(calls.filter((call) => call.type === 'attachments.create')).toHaveLength(3);
    await expect.poll(() => calls.filter((call) => call.type === 'attachments.delete')).toHaveLength(1);
    await page.locator(`${host} [part~="remove-attachment"][aria-label="Remove draft.txt"]`).click();
    await expect.poll(() => calls.filter((call) => call.type === 'attachments.delete')).toHaveLength(2);
    const deleted = calls
      .filter((call) => call.type === 'attachments.delete')
      .map((call) => call.params.attachment_id);
    expect(new Set(deleted).size).toBe(2);
    expect(await chips(page).allTextContents()).toEqual([expect.stringContaining('notes.txt')]);

    await page.locator(`${host} [part~="send-button"]`).click();
    await lastReply(page).waitFor();
    expect(await chips(page).count()).toBe(0);
    const sent = calls.find((call) => call.type === 'threads.create');
    const input = sent?.params.input as { attachments: string[] } | undefined;
    expect(input?.attachments).toHaveLength(1);
    expect(
      await page
        .locator(`${host} [data-item-type="user_message"] [part~="message-attachments"]`)
        .textContent(),
    ).toContain('notes.txt');
    const { secret, threadId } = await widgetState(page);
    const saved = await serverThread(env.server.url, secret, threadId!);
    const user = saved.items.data.find((item) => item.type === 'user_message');
    expect(user?.attachments?.map((attachment) => attachment.name)).toEqual(['notes.txt']);
    expect(deleted).not.toContain(user?.attachments?.[0]?.id);
    expect(page.errors).toEqual([]);
  });

  it('refuses files over the limits before uploading anything', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    await page.locator(host).evaluate((element) => {
      (element as HTMLElement & { options: unknown }).options = {
        attachments: { maxBytes: 1024, accept: ['text/plain'], maxCount: 5 },
      };
    });
    const calls = recordChatKitCalls(page);
    await pickFiles(page, [
      file('big.txt', 4),
      { name: 'photo.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ') },
    ]);
    const alert = page.locator(`${host} [part~="composer"] [role="alert"]`);
    await alert.waitFor();
    expect(await alert.textContent()).toContain('big.txt is larger than 1 KB');
    expect(await alert.textContent()).toContain('photo.exe is not a file type this chat accepts');
    expect(await chips(page).count()).toBe(0);
    expect(calls).toEqual([]);
    expect(await axeViolations(page)).toEqual([]);
  });
});
