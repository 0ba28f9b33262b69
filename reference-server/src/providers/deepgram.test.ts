import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../test/failure.js';
import {
  deepgramBaseUrl,
  deepgramError,
  deepgramHandlers,
  deepgramMalformed,
  deepgramRecorder,
  deepgramStall,
} from '../../test/mocks/deepgram.js';
import { Secret } from '../config/secret.js';
import { createDeepgramProvider } from './deepgram.js';

const KEY = 'dg-test-0123456789SECRET';
const wav = new Uint8Array(readFileSync(new URL('../../../tests/fixtures/audio/tone.wav', import.meta.url)));
const audio = { bytes: wav, mimeType: 'audio/wav' };

const server = setupServer(
  ...deepgramHandlers({ apiKey: KEY, transcript: 'Where is my parcel?', duration: 0.5 }),
);
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  deepgramRecorder.clear();
});
afterAll(() => server.close());

const deepgram = (options: { apiKey?: string; timeoutMs?: number } = {}) =>
  createDeepgramProvider({ apiKey: new Secret(options.apiKey ?? KEY), timeoutMs: options.timeoutMs ?? 5000 });

describe('the deepgram provider', () => {
  it('sends the audio bytes with their type, the key as a Token, and the model with language detection', async () => {
    await deepgram().transcribe(audio);
    const request = deepgramRecorder.last;
    expect(`${request?.url.origin}${request?.url.pathname}`).toBe(`${deepgramBaseUrl}/v1/listen`);
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      model: 'nova-3',
      smart_format: 'true',
      detect_language: 'true',
    });
    expect(request?.headers.get('authorization')).toBe(`Token ${KEY}`);
    expect(request?.headers.get('content-type')).toBe('audio/wav');
    expect(request?.bytes).toEqual(wav);
  });

  it('answers the transcript, its confidence, the duration and the detected language', async () => {
    expect(await deepgram().transcribe(audio)).toEqual({
      transcript: 'Where is my parcel?',
      confidence: 0.98,
      duration: 0.5,
      language: 'en',
    });
  });

  it('names the language instead of detecting it when the request gives one', async () => {
    const answer = await deepgram().transcribe(audio, { language: 'en-GB' });
    expect(answer.language).toBe('en-GB');
    expect(Object.fromEntries(deepgramRecorder.last?.url.searchParams ?? [])).toEqual({
      model: 'nova-3',
      smart_format: 'true',
      language: 'en-GB',
    });
  });

  it('reports a refused key as PROVIDER_ERROR naming the setting, without the key', async () => {
    const answer = await failure(deepgram({ apiKey: 'dg-wrong-key-000' }).transcribe(audio));
    expect(answer).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      message:
        "The deepgram provider refused this server's API key (upstream status 401); check DEEPGRAM_API_KEY.",
      details: { provider: 'deepgram', upstream_status: 401 },
    });
    expect(JSON.stringify(answer)).not.toContain('dg-wrong');
  });

  it('passes an upstream rate limit on as 429 RATE_LIMITED with Retry-After, 1 s when Deepgram names none', async () => {
    server.use(deepgramError(429));
    expect(await failure(deepgram().transcribe(audio))).toEqual({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'The deepgram provider is rate limiting this server; retry after 1 s.',
      details: { provider: 'deepgram', upstream_status: 429, retry_after_ms: 1000 },
      headers: { 'Retry-After': '1' },
    });
  });

  it.each([
    [
      400,
      'The deepgram provider failed with status 400: Bad Request: failed to process audio: corrupt or unsupported data',
    ],
    [
      402,
      'The deepgram provider failed with status 402: Project does not have enough credits for an ASR request',
    ],
    [500, 'The deepgram provider failed with status 500: An internal server error occurred.'],
  ])('maps an upstream %i to PROVIDER_ERROR with Deepgram’s message', async (status, message) => {
    server.use(deepgramError(status));
    expect(await failure(deepgram().transcribe(audio))).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      message,
      details: { provider: 'deepgram', upstream_status: status },
    });
  });

  it('gives up on a silent Deepgram at the deadline with PROVIDER_ERROR timeout', async () => {
    server.use(deepgramStall());
    expect(await failure(deepgram({ timeoutMs: 100 }).transcribe(audio))).toMatchObject({
      status: 502,
      message: 'The deepgram provider did not answer within 100 ms.',
      details: { provider: 'deepgram', reason: 'timeout' },
    });
  });

  it.each([
    ['a body that is not JSON', 'Internal error'],
    ['an answer without channels', '{"metadata":{"duration":1},"results":{"channels":[]}}'],
    [
      'a confidence out of range',
      '{"metadata":{"duration":1},"results":{"channels":[{"alternatives":[{"transcript":"x","confidence":7}]}]}}',
    ],
  ])('reports %s as PROVIDER_ERROR malformed', async (_, body) => {
    server.use(deepgramMalformed(body));
    expect(await failure(deepgram().transcribe(audio))).toMatchObject({
      status: 502,
      details: { provider: 'deepgram', reason: 'malformed' },
    });
  });

  it('stops the upstream request when the caller cancels', async () => {
    server.use(deepgramStall());
    const controller = new AbortController();
    const transcribing = deepgram().transcribe(audio, { signal: controller.signal });
    await expect.poll(() => deepgramRecorder.requests.length).toBe(1);
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(transcribing).rejects.toBe(reason);
    expect(deepgramRecorder.last?.signal.aborted).toBe(true);
  });
});
