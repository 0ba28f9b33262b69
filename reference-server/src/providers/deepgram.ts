/**
 * @module The `deepgram` voice provider: Deepgram's pre-recorded transcription
 * (`POST <base>/v1/listen`, `Authorization: Token <key>`, the raw audio as the body).
 */
import type { Audio, TranscribeOptions, Transcription, VoiceProvider } from '@cartrita/engine';
import * as z from 'zod';
import { Secret } from '../config/secret.js';
import { createUpstreamHttp } from './upstream-http.js';

/** Options of {@link createDeepgramProvider}. */
export interface DeepgramProviderOptions {
  /** `DEEPGRAM_API_KEY`: sent upstream only. */
  apiKey: string | Secret;
  /** Default `https://api.deepgram.com` (a self-hosted Deepgram has its own). */
  baseUrl?: string;
  /** The model; default `nova-3`. */
  model?: string;
  /** The longest wait for a transcript, in milliseconds; default 120 000. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The part of Deepgram's pre-recorded answer we read (its wire format; other fields are ignored). */
export const DeepgramListenAnswer = z.object({
  metadata: z.object({ duration: z.number().nonnegative() }),
  results: z.object({
    channels: z
      .array(
        z.object({
          alternatives: z
            .array(z.object({ transcript: z.string(), confidence: z.number().min(0).max(1) }))
            .min(1),
          detected_language: z.string().optional(),
        }),
      )
      .min(1),
  }),
});

/** Deepgram's error body: `{"err_code": "...", "err_msg": "...", "request_id": "..."}`. */
const errorMessage = (body: unknown): string | undefined => {
  const message = (body as { err_msg?: unknown } | undefined)?.err_msg;
  return typeof message === 'string' ? message : undefined;
};

/**
 * Creates the `deepgram` provider. It asks for smart formatting, and for language detection unless
 * the request names the language; the transcript and confidence are the first channel's best
 * alternative, the duration Deepgram's `metadata.duration`.
 *
 * @example
 * const deepgram = createDeepgramProvider({ apiKey: config.providers.deepgram.apiKey });
 * const { transcript } = await deepgram.transcribe({ bytes, mimeType: 'audio/wav' });
 */
export const createDeepgramProvider = (options: DeepgramProviderOptions): VoiceProvider => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const model = options.model ?? 'nova-3';
  const http = createUpstreamHttp({
    provider: 'deepgram',
    baseUrl: (options.baseUrl ?? 'https://api.deepgram.com').replace(/\/+$/, ''),
    headers: { authorization: `Token ${apiKey}` },
    timeoutMs: options.timeoutMs ?? 120_000,
    keySetting: 'DEEPGRAM_API_KEY',
    secrets: [apiKey],
    errorMessage,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return {
    name: 'deepgram',
    async transcribe(audio: Audio, request: TranscribeOptions = {}): Promise<Transcription> {
      const searchParams: Record<string, string> = {
        model,
        smart_format: 'true',
        ...(request.language ? { language: request.language } : { detect_language: 'true' }),
      };
      const answer = await http.post(
        '/v1/listen',
        {
          body: audio.bytes,
          contentType: audio.mimeType,
          searchParams,
          ...(request.signal ? { signal: request.signal } : {}),
        },
        DeepgramListenAnswer,
      );
      const [channel] = answer.results.channels as [(typeof answer.results.channels)[number]];
      const [best] = channel.alternatives as [(typeof channel.alternatives)[number]];
      return {
        transcript: best.transcript,
        confidence: best.confidence,
        duration: answer.metadata.duration,
        language: channel.detected_language ?? request.language ?? null,
      };
    },
  };
};
