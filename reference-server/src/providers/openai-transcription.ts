/**
 * @module The `openai` voice provider: OpenAI's transcriptions (`POST <baseURL>/audio/transcriptions`)
 * through the `openai` package, with `whisper-1` (verbose JSON: duration, language, segments) or a
 * `gpt-4o*-transcribe` model (JSON with token log probabilities).
 */
import type { Audio, TranscribeOptions, Transcription, VoiceProvider } from '@cartrita/engine';
import OpenAI, { type ClientOptions, toFile } from 'openai';
import * as z from 'zod';
import { Secret } from '../config/secret.js';
import { HttpError } from '../http-error.js';
import { mapOpenAIError } from './openai.js';
import { whisperLanguageCode } from './whisper-languages.js';

/** Options of {@link createOpenAITranscriptionProvider}. */
export interface OpenAITranscriptionOptions {
  /** `OPENAI_API_KEY`: sent upstream only. */
  apiKey: string | Secret;
  /** `OPENAI_BASE_URL`; default OpenAI's own `https://api.openai.com/v1`. */
  baseURL?: string;
  /** Default `whisper-1`. */
  model?: string;
  /** The longest wait for a transcript, in milliseconds; default 120 000. */
  timeoutMs?: number;
  fetch?: ClientOptions['fetch'];
}

/** OpenAI reads the format from the file name, so each type is sent with its extension. */
const extensions: Readonly<Record<string, string>> = {
  'audio/wav': 'wav',
  'audio/mpeg': 'mp3',
  'audio/ogg': 'ogg',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'audio/mp4': 'm4a',
};

/** `whisper-1`'s verbose answer: the fields we read. */
const VerboseAnswer = z.object({
  text: z.string(),
  duration: z.number().nonnegative().optional(),
  language: z.string().optional(),
  segments: z.array(z.object({ avg_logprob: z.number() })).optional(),
});

/** A `gpt-4o*-transcribe` answer: the fields we read. */
const JsonAnswer = z.object({
  text: z.string(),
  logprobs: z.array(z.object({ logprob: z.number().optional() })).optional(),
  languages: z.array(z.object({ code: z.string() })).optional(),
  usage: z
    .union([z.object({ type: z.literal('duration'), seconds: z.number() }), z.object({ type: z.string() })])
    .optional(),
});

/** The mean probability of log probabilities, 0 to 1; `null` for none. */
const meanProbability = (logprobs: readonly number[]): number | null => {
  if (logprobs.length === 0) return null;
  const mean = logprobs.reduce((sum, value) => sum + Math.exp(value), 0) / logprobs.length;
  return Math.min(1, Math.max(0, mean));
};

/**
 * Creates the `openai` voice provider. With `whisper-1`, confidence is the mean of the segments'
 * `exp(avg_logprob)` and `language` the code of the language Whisper names (`english` → `en`); with a `gpt-4o*-transcribe`
 * model, it is the mean token probability and `language` the detected code. Failures map as the chat
 * provider's do (`mapOpenAIError`).
 */
export const createOpenAITranscriptionProvider = (options: OpenAITranscriptionOptions): VoiceProvider => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const model = options.model ?? 'whisper-1';
  const timeoutMs = options.timeoutMs ?? 120_000;
  const client = new OpenAI({
    apiKey,
    baseURL: options.baseURL ?? 'https://api.openai.com/v1',
    maxRetries: 0,
    timeout: timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const verbose = model.startsWith('whisper');
  const malformed = (cause: unknown) =>
    new HttpError('PROVIDER_ERROR', 'The openai provider sent a transcription of an unexpected shape.', {
      details: { provider: 'openai', upstream_status: null, reason: 'malformed' },
      cause,
    });

  return {
    name: 'openai',
    async transcribe(audio: Audio, request: TranscribeOptions = {}): Promise<Transcription> {
      const extension = extensions[audio.mimeType];
      if (!extension) {
        throw new HttpError(
          'UNSUPPORTED_MEDIA_TYPE',
          `The openai voice provider does not take ${audio.mimeType}.`,
          {
            details: { accepted: Object.keys(extensions) },
          },
        );
      }
      const file = await toFile(audio.bytes, `audio.${extension}`, { type: audio.mimeType });
      const language = request.language ? { language: request.language } : {};
      let answer: unknown;
      try {
        answer = verbose
          ? await client.audio.transcriptions.create(
              { file, model, response_format: 'verbose_json', ...language },
              { signal: request.signal ?? null },
            )
          : await client.audio.transcriptions.create(
              { file, model, response_format: 'json', include: ['logprobs'], ...language },
              { signal: request.signal ?? null },
            );
      } catch (error) {
        if (request.signal?.aborted) throw request.signal.reason;
        throw mapOpenAIError(error, { secrets: [apiKey], timeoutMs });
      }
      if (verbose) {
        const parsed = VerboseAnswer.safeParse(answer);
        if (!parsed.success) throw malformed(parsed.error);
        const { text, duration, segments } = parsed.data;
        return {
          transcript: text.trim(),
          confidence: meanProbability((segments ?? []).map((segment) => segment.avg_logprob)),
          duration: duration ?? null,
          language:
            request.language ?? (parsed.data.language ? whisperLanguageCode(parsed.data.language) : null),
        };
      }
      const parsed = JsonAnswer.safeParse(answer);
      if (!parsed.success) throw malformed(parsed.error);
      const { text, logprobs, languages, usage } = parsed.data;
      return {
        transcript: text.trim(),
        confidence: meanProbability((logprobs ?? []).flatMap((entry) => entry.logprob ?? [])),
        duration: usage && 'seconds' in usage ? usage.seconds : null,
        language: request.language ?? languages?.[0]?.code ?? null,
      };
    },
  };
};
