import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { launchChromium } from './browser.js';
import { openStandInPage, type StandIn, startChatKitStandIn } from './chatkit-stand-in.js';

// The widget's side of dictation, against a ChatKit stand-in whose `input.transcribe` a test scripts
// (e2e-dictation-server.test.ts runs it against the reference server and its voice provider). The
// microphone is Chromium's fake capture device.
let browser: Browser;
beforeAll(async () => {
  vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
  browser = await launchChromium();
});
afterAll(() => browser?.close());

const host = 'cartrita-chat';
const voiceButton = `${host} [part~="voice-button"]`;

/** Opens the widget against `standIn` and waits until its session is ready. */
const open = async (standIn: StandIn) => {
  const page = await openStandInPage(browser, standIn, '<cartrita-chat></cartrita-chat>');
  await page.locator(`${host} [part~="panel"][data-connection="ready"]`).waitFor({ state: 'attached' });
  return page;
};

describe('dictation', () => {
  it('records the microphone, sends real audio to input.transcribe and puts the text in the composer', async () => {
    const standIn = await startChatKitStandIn({ transcribe: () => 'Where is my parcel?' });
    try {
      const page = await open(standIn);
      await page.locator(voiceButton).click();
      await expect.poll(() => page.locator(voiceButton).getAttribute('aria-pressed')).toBe('true');
      expect(await page.locator(voiceButton).getAttribute('aria-label')).toBe('Stop dictation');
      await page.locator(voiceButton).click();

      await expect.poll(() => page.locator(`${host} textarea`).inputValue()).toBe('Where is my parcel?');
      expect(await page.locator(voiceButton).getAttribute('aria-pressed')).toBe('false');
      // What MediaRecorder made of the microphone: a WebM file (it starts with the EBML magic number).
      expect(standIn.audio).toHaveLength(1);
      const [{ bytes, mimeType }] = standIn.audio as [StandIn['audio'][number]];
      expect(mimeType).toMatch(/^audio\/webm/);
      expect(bytes.subarray(0, 4).toString('hex')).toBe('1a45dfa3');
      // The dictated text is a draft: sending it is the user's choice.
      expect(standIn.calls).toEqual(['input.transcribe']);
      expect(page.errors).toEqual([]);
    } finally {
      await standIn.close();
    }
  });

  it('says so when the transcription fails, and lets the user try again', async () => {
    let fail = true;
    const standIn = await startChatKitStandIn({
      transcribe: () => {
        if (fail) throw new Error('The voice provider is down');
        return 'Second try';
      },
    });
    try {
      const page = await open(standIn);
      const alert = page.locator(`${host} .composer [role="alert"]`);
      await page.locator(voiceButton).click();
      await expect.poll(() => page.locator(voiceButton).getAttribute('aria-pressed')).toBe('true');
      await page.locator(voiceButton).click();
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Dictation did not work.');
      // A 502 is worth another try: the SDK sent the same audio twice more before giving up.
      expect(standIn.audio).toHaveLength(3);
      expect(await page.locator(`${host} textarea`).inputValue()).toBe('');

      fail = false;
      await page.locator(voiceButton).click();
      await expect.poll(() => page.locator(voiceButton).getAttribute('aria-pressed')).toBe('true');
      expect(await alert.count()).toBe(0);
      await page.locator(voiceButton).click();
      await expect.poll(() => page.locator(`${host} textarea`).inputValue()).toBe('Second try');
      expect(standIn.audio).toHaveLength(4);
    } finally {
      await standIn.close();
    }
  });

  it('is not offered when the server cannot transcribe', async () => {
    const standIn = await startChatKitStandIn();
    try {
      const page = await open(standIn);
      expect(await page.locator(`${host} [part~="send-button"]`).count()).toBe(1);
      expect(await page.locator(voiceButton).count()).toBe(0);
    } finally {
      await standIn.close();
    }
  });
});
