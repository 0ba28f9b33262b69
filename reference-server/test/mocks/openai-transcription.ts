/**
 * @module MSW handlers of OpenAI's transcriptions (`POST <baseURL>/audio/transcriptions`), from its
 * documented wire format: Bearer auth, a multipart form with `file` (its name's extension names the
 * format), `model`, `response_format`, `language?`, `include[]?`; the answer typed by the `openai`
 * package's own `TranscriptionVerbose` and `Transcription`, so the mock cannot drift from what the
 * client parses; errors `{error: {message, type, param, code}}`.
 *
 * @example
 * const server = setupServer(...openaiTranscriptionHandlers({ apiKey: 'sk-test', text: 'Hello' }));
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import type { Transcription, TranscriptionVerbose } from 'openai/resources/audio/transcriptions';
import type { ErrorObject } from 'openai/resources/shared';
import { UpstreamRecorder, untilAborted } from './upstream-recorder.js';

/** OpenAI's API. */
export const openaiBaseUrl = 'https://api.openai.com/v1';
const endpoint = (baseURL = openaiBaseUrl) => `${baseURL.replace(/\/+$/, '')}/audio/transcriptions`;

/** The recorder used by every handler that is not given one. Clear it between tests. */
export const openaiTranscriptionRecorder = new UpstreamRecorder();

/** The formats OpenAI takes, by the file name's extension. */
const extensions = ['flac', 'mp3', 'mp4', 'mpeg', 'mpga', 'm4a', 'ogg', 'wav', 'webm'];

/** Options of {@link openaiTranscriptionHandlers}. */
export interface OpenAITranscriptionHandlersOptions {
  /** The key the mock accepts; any other is a 401. */
  apiKey: string;
  baseURL?: string;
  /** Default `Where is my parcel?`. */
  text?: string;
  recorder?: UpstreamRecorder;
}

const error = (status: number, message: string, type: string, code: string | null) =>
  HttpResponse.json({ error: { message, type, param: null, code } satisfies ErrorObject }, { status });

/**
 * OpenAI's transcriptions: checks the key (401), the file's extension and the model (400), and
 * answers `verbose_json` (duration, language, one segment) or `json` (with logprobs when asked).
 */
export const openaiTranscriptionHandlers = (options: OpenAITranscriptionHandlersOptions): HttpHandler[] => [
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiTranscriptionRecorder).record(request);
    if (request.headers.get('authorization') !== `Bearer ${options.apiKey}`) {
      return error(401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
    }
    const form = await request.formData();
    const file = form.get('file');
    const model = form.get('model');
    const extension = file instanceof File ? (/\.([a-z0-9]+)$/i.exec(file.name)?.[1] ?? '') : '';
    if (!(file instanceof File) || !extensions.includes(extension.toLowerCase())) {
      return error(
        400,
        `Invalid file format. Supported formats: ${JSON.stringify(extensions)}`,
        'invalid_request_error',
        null,
      );
    }
    if (typeof model !== 'string' || model === '') {
      return error(400, 'you must provide a model parameter', 'invalid_request_error', null);
    }
    const text = options.text ?? 'Where is my parcel?';
    if (form.get('response_format') === 'verbose_json') {
      const verbose: TranscriptionVerbose = {
        duration: 0.5,
        language: 'english',
        text,
        segments: [
          {
            id: 0,
            seek: 0,
            start: 0,
            end: 0.5,
            text,
            tokens: [50364, 2305, 307, 452, 25335, 30, 50414],
            temperature: 0,
            avg_logprob: Math.log(0.9),
            compression_ratio: 0.8,
            no_speech_prob: 0.01,
          },
        ],
      };
      return HttpResponse.json(verbose);
    }
    const answer: Transcription = {
      text,
      ...(form.getAll('include[]').includes('logprobs')
        ? {
            logprobs: [
              { token: 'Where', logprob: Math.log(0.8), bytes: [87] },
              { token: ' is', logprob: Math.log(0.9) },
            ],
          }
        : {}),
      usage: { type: 'duration', seconds: 1 },
    };
    return HttpResponse.json(answer);
  }),
];

/** Answers every transcription with an HTTP error and OpenAI's error body. */
export const openaiTranscriptionError = (
  status: number,
  options: { baseURL?: string; retryAfter?: number; recorder?: UpstreamRecorder } = {},
): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiTranscriptionRecorder).record(request);
    const body: ErrorObject = {
      message:
        status === 429
          ? 'Rate limit reached for requests'
          : 'The server had an error while processing your request.',
      type: status === 429 ? 'requests' : 'server_error',
      param: null,
      code: status === 429 ? 'rate_limit_exceeded' : null,
    };
    const headers: Record<string, string> = {};
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    return HttpResponse.json({ error: body }, { status, headers });
  });

/** Answers every transcription with `body` as it is: a broken or misshapen answer. */
export const openaiTranscriptionMalformed = (
  body: string,
  options: { baseURL?: string; recorder?: UpstreamRecorder } = {},
): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiTranscriptionRecorder).record(request);
    return new HttpResponse(body, { status: 200, headers: { 'content-type': 'application/json' } });
  });

/** Never answers; the client's deadline or cancellation ends it. */
export const openaiTranscriptionStall = (
  options: { baseURL?: string; recorder?: UpstreamRecorder } = {},
): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiTranscriptionRecorder).record(request);
    await untilAborted(request);
    return HttpResponse.error();
  });
