/**
 * @module The `openai` provider: OpenAI's chat completions API through the `openai` package, and any
 * OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp) through its base URL.
 */

import type {
  ChatMessage,
  ChatProvider,
  ProviderChunk,
  ProviderCompletion,
  ProviderRequest,
  Usage,
} from '@cartrita/engine';
import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  type ClientOptions,
} from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionCreateParamsStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { Secret } from '../config/secret.js';
import { HttpError } from '../http-error.js';

/** Sampling parameters of a chat completion. Unset ones are left to the upstream model's defaults. */
export interface OpenAIParameters {
  /** 0 to 2: higher is more random. */
  temperature?: number;
  /** The most tokens the reply may have. */
  max_tokens?: number;
  /** 0 to 1: nucleus sampling. */
  top_p?: number;
}

/** Options of {@link createOpenAIProvider}. */
export interface OpenAIProviderOptions {
  /**
   * The provider's name in the registry, in model prefixes (`<name>/<model>`) and in errors; default
   * `openai`. Another OpenAI-compatible service under its own name (`huggingface`) sets it.
   */
  name?: string;
  /** The setting that holds the key, named when the upstream refuses it; default `OPENAI_API_KEY`. */
  keySetting?: string;
  /** The key sent upstream. A {@link Secret} (as in the configuration) is revealed only to the client. */
  apiKey: string | Secret;
  /**
   * Any OpenAI-compatible server, such as Ollama (`http://localhost:11434/v1`) or vLLM
   * (`http://localhost:8000/v1`); default OpenAI's own `https://api.openai.com/v1`.
   */
  baseURL?: string;
  /** The model used when a request names none; also the provider's `defaultModel`. */
  model: string;
  /** Parameters sent with every request; a request's own parameters win. */
  parameters?: OpenAIParameters;
  /** A `fetch` to use instead of the global one. */
  fetch?: ClientOptions['fetch'];
  /** Retries inside the `openai` client; default 0, so our own server decides about retries. */
  maxRetries?: number;
  /**
   * The longest wait, in milliseconds, for the response headers, for a whole non-streamed reply, and
   * between two chunks of a streamed one; default 120000. Exceeding it is a `PROVIDER_ERROR`.
   */
  timeoutMs?: number;
}

/** A request to the `openai` provider: a {@link ProviderRequest} with optional sampling parameters. */
export interface OpenAIProviderRequest extends ProviderRequest {
  /** Override the configured parameters for this request. */
  parameters?: OpenAIParameters;
}

export type { ProviderCompletion } from '@cartrita/engine';

/** The `openai` provider: a {@link ChatProvider} that can also answer in one piece. */
export interface OpenAIProvider extends ChatProvider {
  readonly name: string;
  stream(request: OpenAIProviderRequest): AsyncIterable<ProviderChunk>;
  /** The whole reply at once, for the JSON doors. Errors and aborts behave as in `stream`. */
  complete(request: OpenAIProviderRequest): Promise<ProviderCompletion>;
}

const defaultProviderName = 'openai';
const defaultBaseURL = 'https://api.openai.com/v1';
const defaultTimeoutMs = 120_000;

/**
 * Creates the `openai` provider. `stream()` asks for a streamed chat completion with usage, yields
 * `{type: 'text'}` for every content delta and `{type: 'usage'}` at the end; `complete()` asks for the
 * whole reply. A request's `model` (with or without an `openai/` prefix) and `parameters` override the
 * configured ones.
 *
 * Failures become {@link HttpError}s (see {@link mapOpenAIError}): `PROVIDER_ERROR` (502) with the upstream
 * status in `details`, or `RATE_LIMITED` (429) with `Retry-After` when the upstream server rate limits us.
 * A stream that breaks off, or ends without a finish reason, throws after the text already yielded.
 * Aborting the request's signal cancels the upstream HTTP request and rejects with the signal's reason.
 *
 * @example
 * const provider = createOpenAIProvider({ apiKey: config.providers.openai.apiKey, model: 'gpt-4o-mini' });
 * for await (const chunk of provider.stream({ messages, signal })) if (chunk.type === 'text') write(chunk.delta);
 */
export const createOpenAIProvider = (options: OpenAIProviderOptions): OpenAIProvider => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const providerName = options.name ?? defaultProviderName;
  const client = new OpenAI({
    apiKey,
    baseURL: options.baseURL ?? defaultBaseURL,
    maxRetries: options.maxRetries ?? 0,
    timeout: timeoutMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const toError = (error: unknown) =>
    mapOpenAIError(error, {
      secrets: [apiKey],
      timeoutMs,
      provider: providerName,
      ...(options.keySetting ? { keySetting: options.keySetting } : {}),
    });

  const body = (request: OpenAIProviderRequest) => ({
    model: upstreamModel(request.model, providerName) ?? options.model,
    messages: request.messages.map(toUpstreamMessage),
    ...definedParameters({ ...options.parameters, ...definedParameters(request.parameters ?? {}) }),
  });

  async function* stream(request: OpenAIProviderRequest): AsyncGenerator<ProviderChunk> {
    const { signal } = request;
    signal.throwIfAborted();
    // Our own controller, so the idle timer can cancel the upstream request too.
    const upstream = new AbortController();
    const forwardAbort = () => upstream.abort(signal.reason);
    signal.addEventListener('abort', forwardAbort, { once: true });
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const armIdleTimer = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        upstream.abort(new Error(`The ${providerName} provider went silent`));
      }, timeoutMs);
    };
    const failure = (error: unknown): unknown => {
      if (signal.aborted) return signal.reason;
      if (timedOut) return toError(new APIConnectionTimeoutError());
      return toError(error);
    };
    let finished = false;
    let exhausted = false;
    let usage: Usage | undefined;
    try {
      const params: ChatCompletionCreateParamsStreaming = {
        ...body(request),
        stream: true,
        stream_options: { include_usage: true },
      };
      let chunks: AsyncIterable<ChatCompletionChunk>;
      try {
        chunks = await client.chat.completions.create(params, { signal: upstream.signal });
      } catch (error) {
        throw failure(error);
      }
      armIdleTimer();
      try {
        for await (const chunk of chunks) {
          clearTimeout(timer);
          if (chunk.usage) usage = fromUpstreamUsage(chunk.usage);
          const choice = chunk.choices[0];
          const delta = choice?.delta.content || choice?.delta.refusal;
          if (delta) yield { type: 'text', delta };
          if (choice?.finish_reason) finished = true;
          armIdleTimer();
        }
      } catch (error) {
        throw failure(error);
      }
      exhausted = true;
      // The `openai` stream ends quietly when its request is aborted: tell an abort from a silent end.
      if (signal.aborted) throw signal.reason;
      if (timedOut) throw toError(new APIConnectionTimeoutError());
      if (!finished) {
        throw new HttpError(
          'PROVIDER_ERROR',
          `The ${providerName} provider ended the reply before it was complete.`,
          {
            details: { provider: providerName, upstream_status: null, reason: 'incomplete' },
          },
        );
      }
      if (usage) yield { type: 'usage', usage };
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', forwardAbort);
      // Stops the upstream request when the reply failed or the consumer stopped early.
      if (!exhausted) upstream.abort();
    }
  }

  const complete = async (request: OpenAIProviderRequest): Promise<ProviderCompletion> => {
    const { signal } = request;
    signal.throwIfAborted();
    const params: ChatCompletionCreateParamsNonStreaming = { ...body(request), stream: false };
    try {
      const completion = await client.chat.completions.create(params, { signal });
      const message = completion.choices[0]?.message;
      return {
        text: message?.content ?? message?.refusal ?? '',
        model: completion.model || params.model,
        ...(completion.usage ? { usage: fromUpstreamUsage(completion.usage) } : {}),
      };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toError(error);
    }
  };

  return { name: providerName, defaultModel: options.model, stream, complete };
};

/** Options of {@link mapOpenAIError}. */
export interface MapOpenAIErrorOptions {
  /** Strings that must never reach a message (the API key); they are replaced by `[REDACTED]`. */
  secrets?: readonly string[];
  /** The timeout in force, for the message of a timeout. */
  timeoutMs?: number;
  /** The provider's name in messages and `details`; default `openai`. */
  provider?: string;
  /** The setting named when the key is refused; default `OPENAI_API_KEY`. */
  keySetting?: string;
}

/**
 * Turns a failure of the `openai` client into the {@link HttpError} the client of our server sees. The
 * original is kept as `cause` for the logs; messages never carry the API key.
 *
 * - 429 → `RATE_LIMITED` (429) with `Retry-After` in whole seconds from the upstream `retry-after-ms` or
 *   `retry-after` (default 1, at least 1), except `insufficient_quota`, which retrying cannot fix
 *   (`PROVIDER_ERROR`).
 * - 401, 403 → `PROVIDER_ERROR` saying that the server's provider key was refused.
 * - any other status → `PROVIDER_ERROR` with the upstream message.
 * - timeouts, connection failures, an error event or a broken connection mid-stream → `PROVIDER_ERROR`.
 *
 * `details` is `{provider: 'openai', upstream_status: number | null, upstream_code?, reason?}`.
 */
export const mapOpenAIError = (error: unknown, options: MapOpenAIErrorOptions = {}): HttpError => {
  const providerName = options.provider ?? defaultProviderName;
  const keySetting = options.keySetting ?? 'OPENAI_API_KEY';
  const clean = (text: string) => redact(text, options.secrets ?? []);
  const fail = (message: string, details: Record<string, unknown>, status?: number) =>
    new HttpError('PROVIDER_ERROR', message, {
      details: { provider: providerName, upstream_status: null, ...details },
      cause: error,
      ...(status === undefined ? {} : { status }),
    });

  if (error instanceof APIConnectionTimeoutError) {
    const within = options.timeoutMs === undefined ? '' : ` within ${options.timeoutMs} ms`;
    return fail(`The ${providerName} provider did not answer${within}.`, { reason: 'timeout' });
  }
  if (error instanceof APIUserAbortError) {
    return fail(`The request to the ${providerName} provider was cancelled.`, { reason: 'aborted' });
  }
  if (error instanceof APIConnectionError) {
    return fail(`Could not connect to the ${providerName} provider.`, { reason: 'connection' });
  }
  if (error instanceof APIError) {
    const status = error.status;
    const code = typeof error.code === 'string' ? error.code : undefined;
    const facts = {
      ...(status === undefined ? {} : { upstream_status: status }),
      ...(code ? { upstream_code: code } : {}),
    };
    const upstreamMessage = clean(upstreamText(error)).slice(0, 300);
    if (status === undefined) {
      return fail(
        `The ${providerName} provider reported an error during the reply${upstreamMessage ? `: ${upstreamMessage}` : '.'}`,
        { ...facts, reason: 'stream' },
      );
    }
    if (status === 401 || status === 403) {
      // OpenAI's own message quotes part of the key, so none of it is passed on.
      return fail(
        `The ${providerName} provider refused this server's API key (upstream status ${status}); check ${keySetting}.`,
        facts,
      );
    }
    if (status === 429 && code !== 'insufficient_quota') {
      const retryAfterMs = retryAfterMsOf(error.headers);
      const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
      return new HttpError(
        'RATE_LIMITED',
        `The ${providerName} provider is rate limiting this server; retry after ${seconds} s.`,
        {
          details: { provider: providerName, ...facts, retry_after_ms: seconds * 1000 },
          headers: { 'Retry-After': String(seconds), 'retry-after-ms': String(seconds * 1000) },
          cause: error,
        },
      );
    }
    return fail(
      `The ${providerName} provider failed with status ${status}${upstreamMessage ? `: ${upstreamMessage}` : '.'}`,
      facts,
    );
  }
  if (error instanceof SyntaxError) {
    return fail(`The ${providerName} provider sent a malformed response.`, { reason: 'malformed' });
  }
  return fail(`The connection to the ${providerName} provider broke during the reply.`, {
    reason: 'connection',
  });
};

/** The request's model without the `<provider>/` prefix that selects this provider in a registry. */
const upstreamModel = (model: string | undefined, providerName: string): string | undefined => {
  if (!model) return undefined;
  return model.startsWith(`${providerName}/`) ? model.slice(providerName.length + 1) : model;
};

/**
 * Our turns as chat completion messages. Tool schemas are not sent upstream, so a `tool` turn (the page's
 * answer to a client tool call) becomes a user message that describes the output.
 */
export const toUpstreamMessage = (message: ChatMessage): ChatCompletionMessageParam => {
  switch (message.role) {
    case 'system':
      return { role: 'system', content: message.content };
    case 'assistant':
      return { role: 'assistant', content: message.content };
    case 'tool':
      return {
        role: 'user',
        content: `The page ran the tool "${message.toolName ?? 'unknown'}" and returned:\n\n${message.content}`,
      };
    default:
      return { role: 'user', content: message.content };
  }
};

const definedParameters = (parameters: OpenAIParameters): OpenAIParameters => {
  const result: OpenAIParameters = {};
  if (parameters.temperature !== undefined) result.temperature = parameters.temperature;
  if (parameters.max_tokens !== undefined) result.max_tokens = parameters.max_tokens;
  if (parameters.top_p !== undefined) result.top_p = parameters.top_p;
  return result;
};

const fromUpstreamUsage = (usage: CompletionUsage): Usage => ({
  prompt_tokens: usage.prompt_tokens,
  completion_tokens: usage.completion_tokens,
  total_tokens: usage.total_tokens,
});

/** The message of the upstream error body, without the `openai` package's `429 ` status prefix. */
const upstreamText = (error: APIError): string => {
  const body = error.error as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  return error.message.replace(/^\d{3}\s*/, '').replace(/^status code \(no body\)$/, '');
};

/** The wait an upstream 429 asks for: `retry-after-ms`, else `retry-after` (seconds or a date), else 1 s. */
const retryAfterMsOf = (headers: Headers | undefined): number => {
  const ms = Number.parseFloat(headers?.get('retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers?.get('retry-after')?.trim() ?? '';
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isFinite(date)) return Math.max(0, date - Date.now());
  return 1000;
};

/** Removes secrets, and anything shaped like an OpenAI key, from a message. */
const redact = (text: string, secrets: readonly string[]): string => {
  let result = text;
  for (const secret of secrets) if (secret.length >= 4) result = result.split(secret).join('[REDACTED]');
  return result
    .replace(/\bsk-[A-Za-z0-9_*.-]{4,}/g, 'sk-[REDACTED]')
    .replace(/\bhf_[A-Za-z0-9]{4,}/g, 'hf_[REDACTED]');
};
