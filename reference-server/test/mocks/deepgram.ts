/**
 * @module MSW handlers of Deepgram's pre-recorded transcription (`POST https://api.deepgram.com/v1/listen`),
 * from its documented wire format: `Authorization: Token <key>`, the raw audio as the body with its
 * `Content-Type`, options as query parameters (`model`, `language`, `detect_language`, `smart_format`);
 * the answer `{metadata: {request_id, duration, channels, models, ...}, results: {channels:
 * [{alternatives: [{transcript, confidence, words}], detected_language?, language_confidence?}]}}`;
 * errors `{err_code, err_msg, request_id}`.
 *
 * @example
 * const server = setupServer(...deepgramHandlers({ apiKey: 'dg-test-key', transcript: 'Hello' }));
 * server.use(deepgramError(429));
 */
import { type HttpHandler, HttpResponse, http } from 'msw';
import { UpstreamRecorder, untilAborted } from './upstream-recorder.js';

/** Deepgram's API. */
export const deepgramBaseUrl = 'https://api.deepgram.com';
const endpoint = `${deepgramBaseUrl}/v1/listen`;

/** The recorder used by every handler that is not given one. Clear it between tests. */
export const deepgramRecorder = new UpstreamRecorder();

/** Options of {@link deepgramHandlers}. */
export interface DeepgramHandlersOptions {
  /** The key the mock accepts; any other is a 401. */
  apiKey: string;
  /** The transcript; default `Where is my parcel?`. */
  transcript?: string;
  /** Default 0.98. */
  confidence?: number;
  /** The audio's length in seconds; default 0.5. */
  duration?: number;
  /** What language detection finds (when asked); default `en`. */
  detectedLanguage?: string;
  recorder?: UpstreamRecorder;
}

const requestId = '5a7e3b1c-0d1f-4c4e-9a55-7f4a3e6b2c10';
const errorBody = (code: string, message: string) => ({
  err_code: code,
  err_msg: message,
  request_id: requestId,
});

/** Deepgram's error codes and messages for its documented statuses. */
const errors: Readonly<Record<number, [string, string]>> = {
  400: ['Bad Request', 'Bad Request: failed to process audio: corrupt or unsupported data'],
  401: ['INVALID_AUTH', 'Invalid credentials.'],
  402: ['ASR_PAYMENT_REQUIRED', 'Project does not have enough credits for an ASR request'],
  403: ['INSUFFICIENT_PERMISSIONS', 'You do not have sufficient permissions to perform this action.'],
  429: ['TOO_MANY_REQUESTS', 'Too many requests. Please try again later'],
  500: ['INTERNAL_SERVER_ERROR', 'An internal server error occurred.'],
  503: ['SERVICE_UNAVAILABLE', 'The service is temporarily unavailable.'],
};

const errorResponse = (status: number, headers: Record<string, string> = {}) => {
  const [code, message] = errors[status] ?? ['ERROR', 'Error'];
  return HttpResponse.json(errorBody(code, message), { status, headers });
};

/**
 * Deepgram's pre-recorded transcription: checks the key (401) and that audio came (400), and answers
 * one channel with one alternative. `detected_language` is there only when `detect_language=true`.
 */
export const deepgramHandlers = (options: DeepgramHandlersOptions): HttpHandler[] => [
  http.post(endpoint, async ({ request }) => {
    const recorded = await (options.recorder ?? deepgramRecorder).record(request);
    if (request.headers.get('authorization') !== `Token ${options.apiKey}`) return errorResponse(401);
    if (recorded.bytes.byteLength === 0) return errorResponse(400);
    const params = recorded.url.searchParams;
    const transcript = options.transcript ?? 'Where is my parcel?';
    const duration = options.duration ?? 0.5;
    const confidence = options.confidence ?? 0.98;
    const words = transcript.split(/\s+/).filter(Boolean);
    const step = words.length === 0 ? 0 : duration / words.length;
    return HttpResponse.json({
      metadata: {
        transaction_key: 'deprecated',
        request_id: requestId,
        sha256: '154e291ecfa8be6ab8343560bcc109008fa7853eb5372533e8efdefc9b504c33',
        created: '2026-01-01T00:00:00.000Z',
        duration,
        channels: 1,
        models: ['30089e05-99d1-4376-b32e-c263170674af'],
        model_info: {
          '30089e05-99d1-4376-b32e-c263170674af': {
            name: `general-${params.get('model') ?? 'nova-3'}`,
            version: '2025-01-01.0',
            arch: params.get('model') ?? 'nova-3',
          },
        },
      },
      results: {
        channels: [
          {
            alternatives: [
              {
                transcript,
                confidence,
                words: words.map((word, index) => ({
                  word: word.toLowerCase().replace(/[^\p{L}\p{N}']/gu, ''),
                  start: index * step,
                  end: (index + 1) * step,
                  confidence,
                  punctuated_word: word,
                })),
              },
            ],
            ...(params.get('detect_language') === 'true'
              ? { detected_language: options.detectedLanguage ?? 'en', language_confidence: 0.97 }
              : {}),
          },
        ],
      },
    });
  }),
];

/** Answers every transcription with an HTTP error and Deepgram's error body. */
export const deepgramError = (
  status: number,
  options: { retryAfter?: number; recorder?: UpstreamRecorder } = {},
): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await (options.recorder ?? deepgramRecorder).record(request);
    return errorResponse(
      status,
      options.retryAfter === undefined ? {} : { 'retry-after': String(options.retryAfter) },
    );
  });

/** Answers every transcription with `body` as it is: a broken or misshapen answer. */
export const deepgramMalformed = (body: string, recorder: UpstreamRecorder = deepgramRecorder): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await recorder.record(request);
    return new HttpResponse(body, { status: 200, headers: { 'content-type': 'application/json' } });
  });

/** Never answers a transcription; the client's deadline or cancellation ends it. */
export const deepgramStall = (recorder: UpstreamRecorder = deepgramRecorder): HttpHandler =>
  http.post(endpoint, async ({ request }) => {
    await recorder.record(request);
    await untilAborted(request);
    return HttpResponse.error();
  });
