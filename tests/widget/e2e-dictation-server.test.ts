import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  deepgramError,
  deepgramHandlers,
  deepgramRecorder,
} from '../../reference-server/test/mocks/deepgram.js';
import { listenBesideLoopback } from '../../reference-server/test/mocks/listen.js';
import { startWidgetEnv, type WidgetEnv, waitForReady } from './browser.js';
import { axeViolations } from './e2e-helpers.js';

// The widget's dictation against the reference server, whose voice provider is Deepgram. The server
// runs in this process, so MSW stands in for Deepgram there; the page and the server talk over real
// HTTP, and the microphone is Chromium's fake capture device.
const DEEPGRAM_KEY = 'dg-widget-test-0123456789';
const mocks = setupServer(...deepgramHandlers({ apiKey: DEEPGRAM_KEY, transcript: 'Where is my parcel?' }));

let env: WidgetEnv;
beforeAll(async () => {
  vi.setConfig({ expect: { poll: { timeout: 10_000 } } });
  listenBesideLoopback(mocks);
  env = await startWidgetEnv({ DEEPGRAM_API_KEY: DEEPGRAM_KEY });
}, 60_000);
afterEach(() => {
  mocks.resetHandlers();
  deepgramRecorder.clear();
});
afterAll(async () => {
  await env?.close();
  mocks.close();
});

const host = 'cartrita-chat';
const voiceButton = `${host} [part~="voice-button"]`;

/** Records with the voice button until the widget is back to idle. */
const dictate = async (page: Awaited<ReturnType<WidgetEnv['open']>>) => {
  await page.locator(voiceButton).click();
  await expect.poll(() => page.locator(voiceButton).getAttribute('aria-pressed')).toBe('true');
  await page.locator(voiceButton).click();
};

describe('dictation against the reference server', () => {
  it('records the microphone, has Deepgram transcribe the WebM it made, and puts the text in the composer', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    await dictate(page);

    await expect.poll(() => page.locator(`${host} textarea`).inputValue()).toBe('Where is my parcel?');
    expect(await page.locator(voiceButton).getAttribute('aria-pressed')).toBe('false');
    // What reached Deepgram: the recording's bytes (a WebM file, by its EBML magic number), typed by
    // the server from those bytes, with the server's key; the page never held a provider key.
    expect(deepgramRecorder.requests).toHaveLength(1);
    const [sent] = deepgramRecorder.requests as [(typeof deepgramRecorder.requests)[number]];
    expect(sent.headers.get('authorization')).toBe(`Token ${DEEPGRAM_KEY}`);
    expect(sent.headers.get('content-type')).toBe('audio/webm');
    expect(Buffer.from(sent.bytes.subarray(0, 4)).toString('hex')).toBe('1a45dfa3');
    expect(sent.url.searchParams.get('detect_language')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    expect(page.errors).toEqual([]);
  });

  it('says so when Deepgram fails, and transcribes when the user tries again', async () => {
    const page = await env.open('<cartrita-chat></cartrita-chat>');
    await waitForReady(page);
    mocks.use(deepgramError(500));
    const alert = page.locator(`${host} .composer [role="alert"]`);
    await dictate(page);
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Dictation did not work.');
    // The server answered 502; the SDK sent the same audio twice more before giving up.
    expect(deepgramRecorder.requests).toHaveLength(3);
    expect(await page.locator(`${host} textarea`).inputValue()).toBe('');

    mocks.resetHandlers();
    await dictate(page);
    await expect.poll(() => page.locator(`${host} textarea`).inputValue()).toBe('Where is my parcel?');
    expect(await alert.count()).toBe(0);
    expect(deepgramRecorder.requests).toHaveLength(4);
  });
});
