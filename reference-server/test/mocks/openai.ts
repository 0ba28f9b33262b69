/**
 * @module MSW handlers of OpenAI's chat completions API (`POST <baseURL>/chat/completions`), streamed and
 * not, with fault scenarios. Every body is typed by the `openai` package's own types (`ChatCompletion`,
 * `ChatCompletionChunk`, `ErrorObject`), so the mocks cannot drift from the schema the client parses.
 *
 * @example
 * const server = setupServer(...openaiHandlers({ baseURL: 'https://api.openai.com/v1', reply: 'Hi!' }));
 * server.use(openaiError(429, { retryAfter: 7 })); // the next requests are rate limited
 * expect(openaiRecorder.last?.body.model).toBe('gpt-4o-mini');
 */

import { tokenize } from '@cartrita/engine';
import { type HttpHandler, HttpResponse, http } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { ErrorObject } from 'openai/resources/shared';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { listenBesideLoopback } from './listen.js';

/** One request the mock received. */
export interface RecordedRequest {
  url: string;
  headers: Headers;
  /** The parsed JSON body. */
  body: ChatCompletionCreateParams;
  /** The request's signal: aborted when the client cancels the upstream call. */
  signal: AbortSignal;
  /** Resolves when the client cancels the request (never, for one that completes). */
  aborted: Promise<void>;
}

/** Keeps the requests the handlers received, newest last. */
export class OpenAIRecorder {
  readonly requests: RecordedRequest[] = [];

  /** The newest request. */
  get last(): RecordedRequest | undefined {
    return this.requests.at(-1);
  }

  /** Forgets every request. */
  clear(): void {
    this.requests.length = 0;
  }

  /** Records a request and returns what was recorded. */
  async record(request: Request): Promise<RecordedRequest> {
    const { signal } = request;
    const aborted = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', () => resolve(), { once: true });
    });
    const body = (await request
      .clone()
      .json()
      .catch(() => ({}))) as ChatCompletionCreateParams;
    const recorded = { url: request.url, headers: request.headers, body, signal, aborted };
    this.requests.push(recorded);
    return recorded;
  }
}

/** The recorder used by every handler that is not given one. Clear it between tests. */
export const openaiRecorder = new OpenAIRecorder();

/** The reply of {@link openaiHandlers}: fixed text, or text computed from the request body. */
export type OpenAIMockReply = string | ((body: ChatCompletionCreateParams) => string);

/** Options of {@link openaiHandlers}. */
export interface OpenAIHandlersOptions {
  /** The API's base URL, as given to the client: `https://api.openai.com/v1`, `http://localhost:11434/v1`. */
  baseURL: string;
  /** The assistant's answer; default {@link defaultMockReply}. */
  reply?: OpenAIMockReply;
  /** The streamed content deltas; default the reply split into words. Wins over `reply`. */
  tokens?: string[];
  recorder?: OpenAIRecorder;
}

/** Options shared by the fault scenarios. */
export interface OpenAIScenarioOptions {
  /** Answer only requests to this base URL; default any URL ending in `/chat/completions`. */
  baseURL?: string;
  recorder?: OpenAIRecorder;
}

/** The reply when none is given. */
export const defaultMockReply = 'Hello! This is the mock OpenAI chat completions API.';

/**
 * The chat completions endpoint: a `ChatCompletion` for `stream: false`; for `stream: true`, `data:`
 * frames of `ChatCompletionChunk`s (a role chunk, one chunk per token, a chunk with `finish_reason`, the
 * usage chunk when `stream_options.include_usage`) and `data: [DONE]`. Requests without a bearer key are
 * refused with 401, and requests without `model` or `messages` with 400, as OpenAI does.
 */
export const openaiHandlers = (options: OpenAIHandlersOptions): HttpHandler[] => [
  http.post(endpoint(options.baseURL), async ({ request }) => {
    const { body } = await (options.recorder ?? openaiRecorder).record(request);
    const refusal = checkRequest(request, body);
    if (refusal) return refusal;
    const tokens = options.tokens ?? tokenize(replyText(options.reply, body));
    if (!body.stream) return HttpResponse.json(completion(body, tokens.join(''), usageOf(body, tokens)));
    return streamResponse(body, tokens, {});
  }),
];

/** Options of {@link openaiError}. */
export interface OpenAIErrorOptions extends OpenAIScenarioOptions {
  /** The error body's `code`; default one OpenAI uses for the status (`rate_limit_exceeded` for 429). */
  code?: string | null;
  /** The error body's `type`; default one OpenAI uses for the status. */
  type?: string;
  /** The error body's `message`; 401's default quotes the masked key, as OpenAI's does. */
  message?: string;
  /** The `retry-after` header, in seconds. */
  retryAfter?: number;
  /** The `retry-after-ms` header. */
  retryAfterMs?: number;
}

/**
 * Answers every request with an HTTP error and OpenAI's error body `{error: {message, type, param, code}}`.
 *
 * @example
 * server.use(openaiError(429, { retryAfter: 7 }));
 */
export const openaiError = (status: number, options: OpenAIErrorOptions = {}): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiRecorder).record(request);
    const preset = errorPresets[status] ?? errorPresets[status >= 500 ? 500 : 400]!;
    const error: ErrorObject = {
      message: options.message ?? preset.message(bearerKey(request)),
      type: options.type ?? preset.type,
      param: null,
      code: options.code === undefined ? preset.code : options.code,
    };
    const headers: Record<string, string> = { 'x-request-id': 'req_mock_error' };
    if (options.retryAfter !== undefined) headers['retry-after'] = String(options.retryAfter);
    if (options.retryAfterMs !== undefined) headers['retry-after-ms'] = String(options.retryAfterMs);
    return HttpResponse.json({ error }, { status, headers });
  });

/** Options of {@link openaiCutAfter} and {@link openaiStreamError}. */
export interface OpenAIStreamScenarioOptions extends OpenAIScenarioOptions {
  /** The content deltas to stream from; default the default reply's words. */
  tokens?: string[];
}

/**
 * Streams the role chunk and `n` content chunks, then breaks the connection (the response body errors,
 * so the client sees a terminated transfer, not a clean end).
 */
export const openaiCutAfter = (n: number, options: OpenAIStreamScenarioOptions = {}): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    const { body } = await (options.recorder ?? openaiRecorder).record(request);
    const tokens = options.tokens ?? tokenize(defaultMockReply);
    return streamResponse(body, tokens, { cutAfter: n });
  });

/** Options of {@link openaiStreamErrorEvent}. */
export interface OpenAIStreamErrorOptions extends OpenAIStreamScenarioOptions {
  message?: string;
  code?: string | null;
  type?: string;
}

/**
 * Streams the role chunk and `n` content chunks, then an error event (`data: {"error": {...}}`, as
 * OpenAI sends when a stream fails on its side) and ends.
 */
export const openaiStreamErrorEvent = (n: number, options: OpenAIStreamErrorOptions = {}): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    const { body } = await (options.recorder ?? openaiRecorder).record(request);
    const tokens = options.tokens ?? tokenize(defaultMockReply);
    const error: ErrorObject = {
      message: options.message ?? 'The server had an error while processing your request. Sorry about that!',
      type: options.type ?? 'server_error',
      param: null,
      code: options.code === undefined ? null : options.code,
    };
    return streamResponse(body, tokens, { cutAfter: n, errorEvent: error });
  });

/** Options of {@link openaiStall}. */
export interface OpenAIStallOptions extends OpenAIScenarioOptions {
  /** Content chunks to send before going silent; default 0 (only the role chunk). */
  afterTokens?: number;
  /** Send no response at all, not even the headers; default false. */
  beforeHeaders?: boolean;
}

/**
 * Starts a streamed answer (headers, the role chunk and `afterTokens` content chunks) and then sends
 * nothing until the client cancels. The request's `aborted` promise in the recorder resolves when the
 * client cancels, so a test can assert that the upstream call was cancelled.
 */
export const openaiStall = (options: OpenAIStallOptions = {}): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    const { body, aborted } = await (options.recorder ?? openaiRecorder).record(request);
    if (options.beforeHeaders) {
      await aborted;
      return HttpResponse.error();
    }
    return streamResponse(body, tokenize(defaultMockReply), { stallAfter: options.afterTokens ?? 0 });
  });

/** Fails every request at the network level, as an unreachable server does. */
export const openaiNetworkError = (options: OpenAIScenarioOptions = {}): HttpHandler =>
  http.post(endpoint(options.baseURL), async ({ request }) => {
    await (options.recorder ?? openaiRecorder).record(request);
    return HttpResponse.error();
  });

// Internals.

const endpoint = (baseURL: string | undefined): string =>
  baseURL === undefined ? '*/chat/completions' : `${baseURL.replace(/\/+$/, '')}/chat/completions`;

const replyText = (reply: OpenAIMockReply | undefined, body: ChatCompletionCreateParams): string =>
  typeof reply === 'function' ? reply(body) : (reply ?? defaultMockReply);

const bearerKey = (request: Request): string =>
  /^Bearer\s+(.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1]?.trim() ?? '';

/** Masks a key the way OpenAI's 401 message does: `sk-abc************wxyz`. */
const maskKey = (key: string): string =>
  key.length <= 8 ? '*'.repeat(key.length) : `${key.slice(0, 3)}${'*'.repeat(12)}${key.slice(-4)}`;

const errorPresets: Record<number, { type: string; code: string | null; message: (key: string) => string }> =
  {
    400: { type: 'invalid_request_error', code: null, message: () => 'Invalid request.' },
    401: {
      type: 'invalid_request_error',
      code: 'invalid_api_key',
      message: (key) =>
        `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    },
    403: {
      type: 'invalid_request_error',
      code: 'unsupported_country_region_territory',
      message: () => 'Country, region, or territory not supported',
    },
    404: {
      type: 'invalid_request_error',
      code: 'model_not_found',
      message: () => 'The model does not exist or you do not have access to it.',
    },
    429: {
      type: 'requests',
      code: 'rate_limit_exceeded',
      message: () => 'Rate limit reached for requests. Please try again later.',
    },
    500: {
      type: 'server_error',
      code: null,
      message: () => 'The server had an error while processing your request. Sorry about that!',
    },
  };

const errorResponse = (status: number, message: string, code: string | null = null) => {
  const error: ErrorObject = { message, type: 'invalid_request_error', param: null, code };
  return HttpResponse.json({ error }, { status });
};

/** Refuses what OpenAI refuses before generating anything. */
const checkRequest = (request: Request, body: ChatCompletionCreateParams): Response | undefined => {
  if (!bearerKey(request)) {
    return errorResponse(
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth.",
    );
  }
  if (typeof body.model !== 'string' || body.model === '') {
    return errorResponse(400, 'you must provide a model parameter');
  }
  if (!Array.isArray(body.messages) || body.messages.length === 0) {
    return errorResponse(400, "Invalid 'messages': empty array. Expected an array with minimum length 1.");
  }
  if (body.stream_options && !body.stream) {
    return errorResponse(400, 'The stream_options parameter is only allowed when stream is enabled.');
  }
  return undefined;
};

const textOfMessage = (message: ChatCompletionMessageParam): string => {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join(' ');
};

/** Deterministic token counts: words of the prompt, deltas of the reply. */
const usageOf = (body: ChatCompletionCreateParams, tokens: string[]): CompletionUsage => {
  const prompt = body.messages.reduce((n, message) => n + tokenize(textOfMessage(message)).length, 0);
  return { prompt_tokens: prompt, completion_tokens: tokens.length, total_tokens: prompt + tokens.length };
};

let sequence = 0;
const completionId = () => `chatcmpl-mock${String(++sequence).padStart(6, '0')}`;
const created = () => Math.floor(Date.now() / 1000);

const completion = (
  body: ChatCompletionCreateParams,
  text: string,
  usage: CompletionUsage,
): ChatCompletion => ({
  id: completionId(),
  object: 'chat.completion',
  created: created(),
  model: body.model,
  system_fingerprint: 'fp_mock',
  choices: [
    {
      index: 0,
      message: { role: 'assistant', content: text, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: 'stop',
    },
  ],
  usage,
});

interface StreamFault {
  /** Break the connection after this many content chunks. */
  cutAfter?: number;
  /** With `cutAfter`: send this error event and end cleanly instead of breaking the connection. */
  errorEvent?: ErrorObject;
  /** Send nothing more after this many content chunks, until the client cancels. */
  stallAfter?: number;
}

/** The `ChatCompletionChunk`s of a streamed answer, in OpenAI's order. */
const chunksOf = (body: ChatCompletionCreateParams, tokens: string[]): ChatCompletionChunk[] => {
  const includeUsage = body.stream_options?.include_usage === true;
  const base = {
    id: completionId(),
    object: 'chat.completion.chunk' as const,
    created: created(),
    model: body.model,
    system_fingerprint: 'fp_mock',
    ...(includeUsage ? { usage: null } : {}),
  };
  const choice = (
    delta: ChatCompletionChunk.Choice.Delta,
    finish: ChatCompletionChunk.Choice['finish_reason'] = null,
  ): ChatCompletionChunk => ({
    ...base,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
  });
  const chunks = [
    choice({ role: 'assistant', content: '', refusal: null }),
    ...tokens.map((content) => choice({ content })),
    choice({}, 'stop'),
  ];
  if (includeUsage) chunks.push({ ...base, choices: [], usage: usageOf(body, tokens) });
  return chunks;
};

const frame = (data: unknown) => `data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`;

const nextMacrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A `text/event-stream` response. It says `transfer-encoding: chunked`, as OpenAI's do: a chunked body
 * that stops early is a broken transfer to the client, where a body delimited by the connection's end
 * would look complete.
 */
const streamResponse = (body: ChatCompletionCreateParams, tokens: string[], fault: StreamFault): Response => {
  const chunks = chunksOf(body, tokens);
  const encoder = new TextEncoder();
  // Content chunks sent so far; the role chunk (index 0) is not counted.
  let index = 0;
  let wake: (() => void) | undefined;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const contentSent = Math.max(0, index - 1);
        if (fault.stallAfter !== undefined && index > 0 && contentSent >= fault.stallAfter) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          return;
        }
        if (fault.cutAfter !== undefined && index > 0 && contentSent >= fault.cutAfter) {
          if (fault.errorEvent) {
            controller.enqueue(encoder.encode(frame({ error: fault.errorEvent })));
            controller.close();
            return;
          }
          // Let the frames already written reach the client before the connection breaks.
          await nextMacrotask();
          controller.error(new Error(`The mock stream was cut after ${fault.cutAfter} chunks`));
          return;
        }
        const chunk = chunks[index++];
        if (chunk) {
          controller.enqueue(encoder.encode(frame(chunk)));
          return;
        }
        controller.enqueue(encoder.encode(frame('[DONE]')));
        controller.close();
      },
      cancel() {
        wake?.();
      },
    },
    { highWaterMark: 0 },
  );
  return new HttpResponse(stream, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'transfer-encoding': 'chunked',
      'x-request-id': 'req_mock_stream',
    },
  });
};

/**
 * OpenAI mocked beside the servers a test file starts (they run in the test's process, so MSW sees
 * their calls): listening before the file's tests, back to these handlers with the recorder emptied
 * after each, closed after all. Returns the MSW server, for a test's own `use()`.
 */
export const useOpenAIMocks = (options: OpenAIHandlersOptions): SetupServer => {
  const mocks = setupServer(...openaiHandlers(options));
  beforeAll(() => listenBesideLoopback(mocks));
  afterEach(() => {
    mocks.resetHandlers();
    openaiRecorder.clear();
  });
  afterAll(() => mocks.close());
  return mocks;
};
