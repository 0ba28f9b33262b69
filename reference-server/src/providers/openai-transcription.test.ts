import { readFileSync } from 'node:fs';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { failure } from '../../test/failure.js';
import {
  openaiBaseUrl,
  openaiTranscriptionError,
  openaiTranscriptionHandlers,
  openaiTranscriptionMalformed,
  openaiTranscriptionRecorder,
  openaiTranscriptionStall,
} from '../../test/mocks/openai-transcription.js';
import { Secret } from '../config/secret.js';
import { createOpenAITranscriptionProvider } from './openai-transcription.js';

const KEY = 'sk-test-0123456789abcdefSECRET';
const webm = new Uint8Array(
  readFileSync(new URL('../../../tests/fixtures/audio/tone.webm', import.meta.url)),
);
const audio = { bytes: webm, mimeType: 'audio/webm' };

const server = setupServer(...openaiTranscriptionHandlers({ apiKey: KEY, text: ' Where is my parcel?' }));
beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  server.resetHandlers();
  openaiTranscriptionRecorder.clear();
});
afterAll(() => server.close());

const openai = (options: { apiKey?: string; model?: string; timeoutMs?: number } = {}) =>
  createOpenAITranscriptionProvider({
    apiKey: new Secret(options.apiKey ?? KEY),
    timeoutMs: options.timeoutMs ?? 5000,
    ...(options.model ? { model: options.model } : {}),
  });

/** The multipart form the provider sent. */
const sentForm = async () => {
  const request = openaiTranscriptionRecorder.last;
  if (!request) throw new Error('nothing was sent');
  return new Response(request.bytes as BodyInit, {
    headers: { 'content-type': request.headers.get('content-type') ?? '' },
  }).formData();
};

describe('the openai voice provider', () => {
  it('sends the audio as a file named for its format, with whisper-1 and verbose JSON', async () => {
    await openai().transcribe(audio, { language: 'en' });
    expect(openaiTranscriptionRecorder.last?.url.href).toBe(`${openaiBaseUrl}/audio/transcriptions`);
    expect(openaiTranscriptionRecorder.last?.headers.get('authorization')).toBe(`Bearer ${KEY}`);
    const form = await sentForm();
    const file = form.get('file') as File;
    expect([file.name, file.type]).toEqual(['audio.webm', 'audio/webm']);
    expect(new Uint8Array(await file.arrayBuffer())).toEqual(webm);
    expect([form.get('model'), form.get('response_format'), form.get('language')]).toEqual([
      'whisper-1',
      'verbose_json',
      'en',
    ]);
  });

  it('answers whisper’s transcript, duration and language code, with the segments’ mean probability as confidence', async () => {
    const answer = await openai().transcribe(audio);
    expect({ ...answer, confidence: Number(answer.confidence?.toFixed(6)) }).toEqual({
      transcript: 'Where is my parcel?',
      confidence: 0.9,
      duration: 0.5,
      language: 'en',
    });
  });

  it('asks a gpt-4o transcribe model for JSON with log probabilities, and reads them as confidence', async () => {
    const answer = await openai({ model: 'gpt-4o-mini-transcribe' }).transcribe(audio);
    const form = await sentForm();
    expect([form.get('model'), form.get('response_format'), form.getAll('include[]')]).toEqual([
      'gpt-4o-mini-transcribe',
      'json',
      ['logprobs'],
    ]);
    expect({ ...answer, confidence: Number(answer.confidence?.toFixed(6)) }).toEqual({
      transcript: 'Where is my parcel?',
      confidence: 0.85,
      duration: 1,
      language: null,
    });
  });

  it('refuses AAC, which OpenAI does not take, before calling it', async () => {
    expect(await failure(openai().transcribe({ bytes: webm, mimeType: 'audio/aac' }))).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
    expect(openaiTranscriptionRecorder.requests).toHaveLength(0);
  });

  it('reports a refused key as PROVIDER_ERROR, without the key', async () => {
    const answer = await failure(openai({ apiKey: 'sk-wrong-0123456789' }).transcribe(audio));
    expect(answer).toMatchObject({ status: 502, code: 'PROVIDER_ERROR', details: { upstream_status: 401 } });
    expect(JSON.stringify(answer)).not.toContain('sk-wrong');
  });

  it('passes an upstream rate limit on as 429 RATE_LIMITED with Retry-After', async () => {
    server.use(openaiTranscriptionError(429, { retryAfter: 3 }));
    expect(await failure(openai().transcribe(audio))).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      headers: { 'Retry-After': '3' },
    });
  });

  it('maps an upstream 500 to PROVIDER_ERROR', async () => {
    server.use(openaiTranscriptionError(500));
    expect(await failure(openai().transcribe(audio))).toMatchObject({
      status: 502,
      code: 'PROVIDER_ERROR',
      details: { provider: 'openai', upstream_status: 500 },
    });
  });

  it('gives up on a silent OpenAI at the deadline with PROVIDER_ERROR timeout', async () => {
    server.use(openaiTranscriptionStall());
    expect(await failure(openai({ timeoutMs: 100 }).transcribe(audio))).toMatchObject({
      status: 502,
      details: { provider: 'openai', reason: 'timeout' },
    });
  });

  it.each([
    ['a body that is not JSON', 'not json'],
    ['JSON without text', '{"duration":1}'],
  ])('reports %s as PROVIDER_ERROR malformed', async (_, body) => {
    server.use(openaiTranscriptionMalformed(body));
    expect(await failure(openai().transcribe(audio))).toMatchObject({
      status: 502,
      details: { provider: 'openai', reason: 'malformed' },
    });
  });
});
