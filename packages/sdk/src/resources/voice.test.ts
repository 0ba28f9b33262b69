import { readFileSync } from 'node:fs';
import type {
  Audio,
  TranscribeOptions,
  VoiceProvider,
  WebSearchProvider,
  WebSearchRequest,
} from '@cartrita/engine';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://voice.test';
const apiKey = 'test-key-voice-0123456789';

// Stand-ins for the providers, as a user of the mocks scripts them: they record what they were sent.
const sent: { audio: Audio; options: TranscribeOptions | undefined }[] = [];
const voiceProvider: VoiceProvider = {
  name: 'deepgram',
  transcribe: async (audio, options) => {
    sent.push({ audio, options });
    return {
      transcript: 'Where is my parcel?',
      confidence: 0.97,
      duration: 0.5,
      language: options?.language ?? 'en',
    };
  },
};
const searched: WebSearchRequest[] = [];
const webSearch: WebSearchProvider = {
  name: 'tavily',
  search: async (request) => {
    searched.push(request);
    return [{ title: 'Harbour', url: 'https://example.org/harbour', snippet: 'Opens at 8.', score: 0.9 }];
  },
};
const mock = setupCartritaServer({
  store: createStore({ baseURL, apiKeys: [apiKey], voiceProviders: [voiceProvider], webSearch: [webSearch] }),
});
beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => {
  mock.reset();
  sent.length = 0;
  searched.length = 0;
});
afterAll(() => mock.close());

const client = () => new CartritaClient({ baseURL, apiKey, maxRetries: 0 });
const tone = readFileSync(new URL('../../../../tests/fixtures/audio/tone.webm', import.meta.url));

describe('client.voice', () => {
  it('sends a recording with its language and answers the transcript', async () => {
    const answer = await client().voice.process(new Blob([tone], { type: 'audio/webm' }), {
      language: 'en-GB',
    });
    expect(answer).toEqual({
      transcript: 'Where is my parcel?',
      confidence: 0.97,
      duration: 0.5,
      language: 'en-GB',
      provider: 'deepgram',
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.audio.mimeType).toBe('audio/webm');
    expect(sent[0]?.audio.bytes).toEqual(new Uint8Array(tone));
  });

  it('rejects with a typed 415 for what is not audio', async () => {
    const error = await client()
      .voice.process(new Blob(['just text'], { type: 'audio/webm' }))
      .catch((reason: unknown) => reason);
    expect(isAPIError(error) && [error.status, error.code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    expect(sent).toHaveLength(0);
  });

  it('rejects with a typed 503 for a provider the server has not configured', async () => {
    const error = await client()
      .voice.process(new Blob([tone]), { provider: 'openai' })
      .catch((reason: unknown) => reason);
    expect(isAPIError(error) && [error.status, error.code]).toEqual([503, 'PROVIDER_NOT_CONFIGURED']);
  });
});

describe('client.search', () => {
  it('searches the web with tavily by default, with the limit asked', async () => {
    expect(await client().search.query({ query: 'harbour', limit: 3 })).toEqual({
      query: 'harbour',
      provider: 'tavily',
      results: [{ title: 'Harbour', url: 'https://example.org/harbour', snippet: 'Opens at 8.', score: 0.9 }],
    });
    expect(searched.map(({ query, limit }) => ({ query, limit }))).toEqual([{ query: 'harbour', limit: 3 }]);
  });
});
