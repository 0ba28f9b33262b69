import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isHttpError } from '../errors.js';
import { audioTypeOf } from './audio-types.js';
import type { Audio, TranscribeOptions, VoiceProvider } from './provider.js';
import { VoiceService } from './service.js';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../../../tests/fixtures/audio/${name}`, import.meta.url)));

/** A provider that records what it was sent and answers a fixed transcript. */
const recordingProvider = (name: 'deepgram' | 'openai', transcript = 'hello there') => {
  const calls: { audio: Audio; options: TranscribeOptions | undefined }[] = [];
  const provider: VoiceProvider = {
    name,
    transcribe: async (audio, options) => {
      calls.push({ audio, options });
      return { transcript, confidence: 0.9, duration: 0.5, language: 'en' };
    },
  };
  return { provider, calls };
};

const failure = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  if (!isHttpError(error)) throw new Error(`expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message, details: error.details };
};

describe('audioTypeOf', () => {
  it.each([
    ['tone.wav', 'audio/wav'],
    ['tone.mp3', 'audio/mpeg'],
    ['tone.ogg', 'audio/ogg'],
    ['tone-vorbis.ogg', 'audio/ogg'],
    ['tone.webm', 'audio/webm'],
    ['tone.flac', 'audio/flac'],
    ['tone.m4a', 'audio/mp4'],
  ])('reads %s as %s from its bytes', async (name, type) => {
    expect(await audioTypeOf(fixture(name))).toBe(type);
  });

  it('refuses text, images and bytes of no known format', async () => {
    expect(await audioTypeOf(new TextEncoder().encode('RIFF is not enough to be a WAV file'))).toBe(
      undefined,
    );
    const png = fixture('../images/clean.png');
    expect(await audioTypeOf(png)).toBe(undefined);
    expect(await audioTypeOf(new Uint8Array(64).fill(7))).toBe(undefined);
  });
});

describe('VoiceService', () => {
  it('sends the audio with the type its bytes say, not a declared one, and answers the provider', async () => {
    const { provider, calls } = recordingProvider('deepgram');
    const voice = new VoiceService({ providers: [provider] });
    const answer = await voice.process({ audio: fixture('tone.webm'), fields: { language: 'en-GB' } });
    expect(answer).toEqual({
      transcript: 'hello there',
      confidence: 0.9,
      duration: 0.5,
      language: 'en',
      provider: 'deepgram',
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]?.audio.mimeType).toBe('audio/webm');
    expect(calls[0]?.options).toEqual({ language: 'en-GB' });
  });

  it('picks the provider a request names, and the first configured one otherwise', async () => {
    const deepgram = recordingProvider('deepgram', 'from deepgram');
    const openai = recordingProvider('openai', 'from openai');
    const voice = new VoiceService({ providers: [deepgram.provider, openai.provider] });
    expect((await voice.process({ audio: fixture('tone.wav') })).transcript).toBe('from deepgram');
    const chosen = await voice.process({ audio: fixture('tone.wav'), fields: { provider: 'openai' } });
    expect([chosen.transcript, chosen.provider]).toEqual(['from openai', 'openai']);
  });

  it('refuses what is not audio with a 415, before asking whether a provider is configured', async () => {
    const voice = new VoiceService();
    expect(await failure(voice.process({ audio: new TextEncoder().encode('just words') }))).toMatchObject({
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
    });
  });

  it('answers 503 PROVIDER_NOT_CONFIGURED for audio when no provider, or not the named one, is configured', async () => {
    expect(await failure(new VoiceService().process({ audio: fixture('tone.mp3') }))).toEqual({
      status: 503,
      code: 'PROVIDER_NOT_CONFIGURED',
      message: 'No voice provider is configured on this server.',
      details: { configured: [] },
    });
    const voice = new VoiceService({ providers: [recordingProvider('deepgram').provider] });
    expect(
      await failure(voice.process({ audio: fixture('tone.mp3'), fields: { provider: 'openai' } })),
    ).toEqual({
      status: 503,
      code: 'PROVIDER_NOT_CONFIGURED',
      message: 'The openai voice provider has no API key configured here.',
      details: { provider: 'openai', configured: ['deepgram'] },
    });
  });

  it('answers 422 for a form without audio or with an unknown provider or a malformed language', async () => {
    const voice = new VoiceService({ providers: [recordingProvider('deepgram').provider] });
    expect(await failure(voice.process({ audio: undefined }))).toMatchObject({
      status: 422,
      details: { fields: [{ path: 'audio', message: 'Required' }] },
    });
    expect(
      (await failure(voice.process({ audio: fixture('tone.wav'), fields: { provider: 'bing' } }))).status,
    ).toBe(422);
    expect(
      (await failure(voice.process({ audio: fixture('tone.wav'), fields: { language: 'english please' } })))
        .status,
    ).toBe(422);
  });

  it('answers 413 for audio over the limit', async () => {
    const voice = new VoiceService({ providers: [recordingProvider('deepgram').provider], maxBytes: 1000 });
    expect(await failure(voice.process({ audio: fixture('tone.wav') }))).toMatchObject({
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: { max_bytes: 1000 },
    });
  });

  it('transcribes base64 audio for ChatKit, checking its bytes the same way', async () => {
    const { provider, calls } = recordingProvider('openai', 'dictated');
    const voice = new VoiceService({ providers: [provider] });
    const base64 = Buffer.from(fixture('tone.ogg')).toString('base64');
    expect(await voice.transcribeBase64(base64)).toEqual({ text: 'dictated' });
    expect(calls[0]?.audio.mimeType).toBe('audio/ogg');
    expect((await failure(voice.transcribeBase64('not base64 at all!'))).status).toBe(422);
    expect((await failure(voice.transcribeBase64(Buffer.from('plain text').toString('base64')))).status).toBe(
      415,
    );
  });

  it('reports whether any provider is configured', () => {
    expect(new VoiceService().available).toBe(false);
    expect(new VoiceService({ providers: [recordingProvider('openai').provider] }).available).toBe(true);
  });
});
