import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chatkit, createSecret, useServer } from './helpers.js';
import { deepgramError, deepgramHandlers, deepgramRecorder } from './mocks/deepgram.js';
import { listenBesideLoopback } from './mocks/listen.js';
import { openaiTranscriptionHandlers, openaiTranscriptionRecorder } from './mocks/openai-transcription.js';
import { tavilyError, tavilyHandlers, tavilyRecorder, tavilyStall } from './mocks/tavily.js';

const TAVILY_KEY = 'tvly-test-0123456789abcdef';
const DEEPGRAM_KEY = 'dg-test-0123456789abcdef';
const OPENAI_KEY = 'sk-test-0123456789abcdef';

// The server runs in this process, so MSW sees its calls to the providers; requests to the server itself pass.
const mocks = setupServer(
  ...tavilyHandlers({ apiKey: TAVILY_KEY }),
  ...deepgramHandlers({ apiKey: DEEPGRAM_KEY, transcript: 'Where is my parcel?' }),
  ...openaiTranscriptionHandlers({ apiKey: OPENAI_KEY, text: 'Said to OpenAI' }),
);
beforeAll(() => listenBesideLoopback(mocks));
afterEach(() => {
  mocks.resetHandlers();
  tavilyRecorder.clear();
  deepgramRecorder.clear();
  openaiTranscriptionRecorder.clear();
});
afterAll(() => mocks.close());

const fixture = (name: string) =>
  readFileSync(new URL(`../../tests/fixtures/audio/${name}`, import.meta.url));

/** A mono 16-bit PCM WAV file of `samples` samples of silence at 16 kHz. */
const silentWav = (samples: number): Uint8Array => {
  const bytes = Buffer.alloc(44 + samples * 2);
  bytes.write('RIFF', 0, 'ascii');
  bytes.writeUInt32LE(36 + samples * 2, 4);
  bytes.write('WAVEfmt ', 8, 'ascii');
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(1, 20);
  bytes.writeUInt16LE(1, 22);
  bytes.writeUInt32LE(16_000, 24);
  bytes.writeUInt32LE(32_000, 28);
  bytes.writeUInt16LE(2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write('data', 36, 'ascii');
  bytes.writeUInt32LE(samples * 2, 40);
  return new Uint8Array(bytes);
};

const search = (url: string, key: string, body: unknown) =>
  fetch(`${url}/api/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify(body),
  });

const voice = (
  url: string,
  key: string,
  audio: Uint8Array,
  fields: Record<string, string> = {},
  type = 'audio/wav',
) => {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('audio', new Blob([audio as BlobPart], { type }), 'clip');
  return fetch(`${url}/api/voice/process`, { method: 'POST', headers: { 'x-api-key': key }, body: form });
};

describe('POST /api/search with tavily', () => {
  it('answers Tavily’s results normalised, best first, and never sends the caller’s key upstream', async () => {
    const { url, apiKey } = await useServer({ env: { TAVILY_API_KEY: TAVILY_KEY } });
    const res = await search(url, apiKey, { query: 'harbour', limit: 2 });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      query: 'harbour',
      provider: 'tavily',
      results: [
        {
          title: 'Harbour tides today',
          url: 'https://example.org/tides',
          snippet: 'High tide at the harbour is at 14:05.',
          score: 0.81,
        },
        {
          title: 'Harbour opening hours',
          url: 'https://example.org/harbour',
          snippet: 'The harbour office opens at 8 and closes at 18.',
          score: 0.93,
        },
      ].sort((a, b) => b.score - a.score),
    });
    expect(tavilyRecorder.last?.headers.get('authorization')).toBe(`Bearer ${TAVILY_KEY}`);
    expect(JSON.stringify([...(tavilyRecorder.last?.headers ?? [])])).not.toContain(apiKey);
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED without TAVILY_API_KEY, calling nobody', async () => {
    const { url, apiKey } = await useServer();
    const res = await search(url, apiKey, { query: 'harbour' });
    expect(res.status).toBe(503);
    expect((await res.json()).error).toMatchObject({
      code: 'PROVIDER_NOT_CONFIGURED',
      details: { provider: 'tavily' },
    });
    expect(tavilyRecorder.requests).toHaveLength(0);
  });

  it('passes Tavily’s 429 on with Retry-After, and its outage as 502', async () => {
    const { url, apiKey } = await useServer({ env: { TAVILY_API_KEY: TAVILY_KEY } });
    mocks.use(tavilyError(429, { retryAfter: 9 }));
    const limited = await search(url, apiKey, { query: 'harbour' });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '9']);
    mocks.use(tavilyError(500));
    const failed = await search(url, apiKey, { query: 'harbour' });
    expect(failed.status).toBe(502);
    expect((await failed.json()).error.details).toEqual({ provider: 'tavily', upstream_status: 500 });
  });
});

describe('POST /api/voice/process', () => {
  it('transcribes with Deepgram, sending the audio’s bytes with the type they show', async () => {
    const { url, apiKey } = await useServer({ env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY } });
    const audio = fixture('tone.ogg');
    // The declared type is wrong on purpose: the bytes decide.
    const res = await voice(url, apiKey, audio, {}, 'audio/wav');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      transcript: 'Where is my parcel?',
      confidence: 0.98,
      duration: 0.5,
      language: 'en',
      provider: 'deepgram',
    });
    expect(deepgramRecorder.last?.headers.get('content-type')).toBe('audio/ogg');
    expect(deepgramRecorder.last?.bytes).toEqual(new Uint8Array(audio));
  });

  it('uses OpenAI when the form names it, or when it is the only voice provider', async () => {
    const both = await useServer({ env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY, OPENAI_API_KEY: OPENAI_KEY } });
    const named = await voice(both.url, both.apiKey, fixture('tone.mp3'), {
      provider: 'openai',
      language: 'en',
    });
    expect(await named.json()).toMatchObject({
      transcript: 'Said to OpenAI',
      provider: 'openai',
      language: 'en',
    });
    const only = await useServer({ env: { OPENAI_API_KEY: OPENAI_KEY } });
    const res = await voice(only.url, only.apiKey, fixture('tone.flac'));
    expect(await res.json()).toMatchObject({ provider: 'openai', duration: 0.5 });
    expect(openaiTranscriptionRecorder.requests).toHaveLength(2);
    expect(deepgramRecorder.requests).toHaveLength(0);
  });

  it('refuses what is not audio with 415, and a form without audio with 422', async () => {
    const { url, apiKey } = await useServer({ env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY } });
    const text = await voice(url, apiKey, new TextEncoder().encode('hello, I am text'), {}, 'audio/wav');
    expect(text.status).toBe(415);
    expect((await text.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const form = new FormData();
    form.append('language', 'en');
    const empty = await fetch(`${url}/api/voice/process`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey },
      body: form,
    });
    expect(empty.status).toBe(422);
    expect(deepgramRecorder.requests).toHaveLength(0);
  });

  it('refuses audio over VOICE_MAX_BYTES with 413', async () => {
    const { url, apiKey } = await useServer({
      env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY, VOICE_MAX_BYTES: '4kb' },
    });
    const res = await voice(url, apiKey, fixture('tone.wav'));
    expect(res.status).toBe(413);
    expect(deepgramRecorder.requests).toHaveLength(0);
  });

  it('takes a recording larger than UPLOAD_MAX_BYTES when VOICE_MAX_BYTES allows it', async () => {
    const { url, apiKey } = await useServer({
      env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY, UPLOAD_MAX_BYTES: '4kb', VOICE_MAX_BYTES: '1mb' },
    });
    // Six seconds of 16 kHz silence: 192 KB, past the upload limit and the form's allowance around it.
    const long = silentWav(6 * 16_000);
    const res = await voice(url, apiKey, long);
    expect(res.status).toBe(200);
    expect(deepgramRecorder.last?.bytes.byteLength).toBe(long.byteLength);
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED without a voice provider', async () => {
    const { url, apiKey } = await useServer();
    const res = await voice(url, apiKey, fixture('tone.wav'));
    expect(res.status).toBe(503);
    expect((await res.json()).error.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it('passes Deepgram’s rate limit on as 429', async () => {
    const { url, apiKey } = await useServer({ env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY } });
    mocks.use(deepgramError(429, { retryAfter: 4 }));
    const res = await voice(url, apiKey, fixture('tone.wav'));
    expect([res.status, res.headers.get('retry-after')]).toEqual([429, '4']);
  });

  it('gives a key scoped to search 403 here, and a key scoped to voice 403 on search', async () => {
    const voiceKey = 'voice-only-0123456789abcdef';
    const searchKey = 'search-only-0123456789abcdef';
    const { url } = await useServer({
      env: {
        DEEPGRAM_API_KEY: DEEPGRAM_KEY,
        TAVILY_API_KEY: TAVILY_KEY,
        API_KEYS: `v:voice:${voiceKey},s:search:${searchKey}`,
      },
    });
    expect((await voice(url, searchKey, fixture('tone.wav'))).status).toBe(403);
    expect((await search(url, voiceKey, { query: 'harbour' })).status).toBe(403);
    expect((await voice(url, voiceKey, fixture('tone.wav'))).status).toBe(200);
    expect((await search(url, searchKey, { query: 'harbour' })).status).toBe(200);
  });
});

describe('ChatKit input.transcribe', () => {
  it('transcribes through the voice provider, and sessions say transcription is available', async () => {
    const { url } = await useServer({ env: { DEEPGRAM_API_KEY: DEEPGRAM_KEY } });
    const session = await (await fetch(`${url}/api/chatkit/session`, { method: 'POST' })).json();
    expect(session.capabilities.transcription).toBe(true);
    const res = await chatkit(url, session.client_secret, {
      type: 'input.transcribe',
      params: { audio_base64: fixture('tone.webm').toString('base64'), mime_type: 'audio/webm;codecs=opus' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ text: 'Where is my parcel?' });
    expect(deepgramRecorder.last?.headers.get('content-type')).toBe('audio/webm');
  });

  it('answers 503 and reports no transcription without a voice provider', async () => {
    const { url } = await useServer();
    const session = await (await fetch(`${url}/api/chatkit/session`, { method: 'POST' })).json();
    expect(session.capabilities.transcription).toBe(false);
    const res = await chatkit(url, await createSecret(url), {
      type: 'input.transcribe',
      params: { audio_base64: fixture('tone.webm').toString('base64'), mime_type: 'audio/webm' },
    });
    expect(res.status).toBe(503);
  });
});

describe('provider keys', () => {
  it('never reach the log, also when the providers fail or go silent', async () => {
    const logFile = join(mkdtempSync(join(tmpdir(), 'cartrita-log-')), 'server.log');
    const { url, apiKey, close } = await useServer({
      env: {
        TAVILY_API_KEY: TAVILY_KEY,
        DEEPGRAM_API_KEY: DEEPGRAM_KEY,
        TAVILY_TIMEOUT_MS: '100',
        LOG_LEVEL: 'trace',
        LOG_FILE: logFile,
      },
    });
    mocks.use(tavilyError(500), deepgramError(401));
    expect((await search(url, apiKey, { query: 'harbour' })).status).toBe(502);
    expect((await voice(url, apiKey, fixture('tone.wav'))).status).toBe(502);
    mocks.use(tavilyStall());
    expect((await search(url, apiKey, { query: 'harbour' })).status).toBe(502);
    await close();
    const log = readFileSync(logFile, 'utf8');
    expect(log).toContain('The tavily provider did not answer within 100 ms.');
    expect(log).not.toContain(TAVILY_KEY);
    expect(log).not.toContain(DEEPGRAM_KEY);
  });
});
