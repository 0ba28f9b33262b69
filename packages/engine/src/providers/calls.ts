/**
 * @module Every call to an upstream provider (OpenAI, Hugging Face, Deepgram, Tavily, GitHub) goes
 * through here: the provider's key is checked, identical non-streaming requests are answered from
 * the cache, the provider's limit is waited for in turn, and the call is a span and metrics.
 */
import { HttpError, isHttpError } from '../errors.js';
import { type Attributes, metrics, noTelemetry, spanAttributes, type Telemetry } from '../telemetry.js';
import {
  defaultProviderCacheOptions,
  type ProviderCache,
  type ProviderCacheOptions,
  providerCacheKey,
} from './cache.js';
import {
  createMemoryProviderLimiter,
  defaultProviderLimits,
  type LimitRequest,
  type ProviderLimit,
  type ProviderLimiter,
} from './limits.js';

/** Tokens a call used, when the provider reports them. */
export interface TokenCounts {
  input: number;
  output: number;
}

/** What a provider call is: who is called, for what, and how its answer is read. */
export interface ProviderCallSpec {
  /** The provider: `openai`, `huggingface`, `deepgram`, `tavily`, `github`. Its limit, key and metrics. */
  provider: string;
  /** What is asked: `chat`, `search`, `transcription`, `inference`, `proxy`, `computer_use`. */
  operation: string;
  /** The model asked for, when there is one. */
  model?: string | undefined;
  /** The caller's cancellation: it also ends a wait in the queue. */
  signal?: AbortSignal | undefined;
  /** More span attributes (`gen_ai.request.temperature`, ...). */
  attributes?: Attributes;
}

/** How a non-streaming call may be cached. */
export interface ProviderCacheSpec {
  /** The request in the form that decides the answer (what is sent upstream, minus keys). */
  request: unknown;
  /** The sampling temperature: above 0 the answer varies, so it is cached only with `force`. */
  temperature?: number | undefined;
  /** Caches even when the temperature is above 0. */
  force?: boolean;
}

/** A non-streaming call: the spec, how to cache it, and how to read its tokens. */
export interface ProviderCallOptions<T> extends ProviderCallSpec {
  /** Set to cache the answer of identical requests; the answer must be JSON. */
  cache?: ProviderCacheSpec | undefined;
  /** The tokens of an answer, for the span and the token metrics. */
  usage?: (result: T) => TokenCounts | undefined;
  /** The model that answered, when the provider names it (`gpt-4o-mini-2024-07-18`). */
  responseModel?: (result: T) => string | undefined;
}

/** A streaming call: the spec and how to read tokens from a chunk. */
export interface ProviderStreamOptions<C> extends ProviderCallSpec {
  /** The tokens a chunk reports (the last chunk, usually). */
  usage?: (chunk: C) => TokenCounts | undefined;
}

/** The wrapper every upstream provider call goes through. */
export interface ProviderCalls {
  /**
   * Runs one non-streaming call: 503 `PROVIDER_NOT_CONFIGURED` when the provider has no key, the
   * cached answer when `cache` is set and an identical request was answered, else waits for the
   * provider's turn (429 `RATE_LIMITED` with `Retry-After` when it is further than the queue
   * timeout) and runs `run`.
   */
  call<T>(options: ProviderCallOptions<T>, run: () => Promise<T>): Promise<T>;
  /** Runs one streaming call: checks, waits for the turn, then yields what `run` yields. */
  stream<C>(options: ProviderStreamOptions<C>, run: () => AsyncIterable<C>): AsyncIterable<C>;
  /** Whether the provider's key is configured on this server. */
  configured(provider: string): boolean;
  /** Fails with 503 `PROVIDER_NOT_CONFIGURED` when the provider's key is not configured. */
  requireConfigured(provider: string): void;
  /**
   * Whether the provider is rate-limited now: its burst is spent, so a call made now would wait in
   * its queue (or be refused past the queue timeout). Reads the budget only; no turn is taken.
   */
  rateLimited(provider: string): Promise<boolean>;
}

/** Options of {@link createProviderCalls}. */
export interface ProviderCallsOptions {
  /** Budgets per provider; a provider without one is not limited. Default: the seed's. */
  limits?: Readonly<Record<string, ProviderLimit>>;
  /** The longest wait for a turn, in milliseconds (the queue timeout). Default 30 000. */
  queueTimeoutMs?: number;
  /** Where turns are counted. Default: this process's memory. */
  limiter?: ProviderLimiter;
  /** Where cached answers are kept; without one nothing is cached. */
  cache?: ProviderCache;
  cacheOptions?: ProviderCacheOptions;
  /** Whether a provider's key is configured. Default: every provider is. */
  configured?: (provider: string) => boolean;
  telemetry?: Telemetry;
  /** The clock, in milliseconds. */
  now?: () => number;
  /** Waits `ms` or until `signal` aborts (tests and benchmarks may shorten it). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

const abortError = (signal: AbortSignal): unknown =>
  signal.reason ?? new DOMException('The operation was aborted.', 'AbortError');

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    if (ms <= 0) return resolve();
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal as AbortSignal));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The outcome label of a failed call: the caller's cancellation is not the provider's error. */
const failureStatus = (error: unknown, signal: AbortSignal | undefined): string =>
  isHttpError(error) && error.code === 'RATE_LIMITED'
    ? 'rate_limited'
    : signal?.aborted || (error instanceof Error && error.name === 'AbortError')
      ? 'cancelled'
      : 'error';

/**
 * The provider-call wrapper.
 *
 * @example
 * const answer = await calls.call(
 *   { provider: 'tavily', operation: 'search', signal, cache: { request: body } },
 *   () => tavily.search(body, signal),
 * );
 */
export const createProviderCalls = (options: ProviderCallsOptions = {}): ProviderCalls => {
  const limits = options.limits ?? defaultProviderLimits;
  const queueTimeoutMs = options.queueTimeoutMs ?? 30_000;
  const limiter = options.limiter ?? createMemoryProviderLimiter(options.now);
  const cacheOptions = options.cacheOptions ?? defaultProviderCacheOptions;
  const cache = cacheOptions.ttlMs > 0 ? options.cache : undefined;
  const isConfigured = options.configured ?? (() => true);
  const telemetry = options.telemetry ?? noTelemetry;
  const now = options.now ?? Date.now;
  const wait = options.sleep ?? sleep;

  const requireConfigured = (provider: string): void => {
    if (!isConfigured(provider)) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        `The provider "${provider}" is not configured on this server.`,
        {
          details: { provider },
        },
      );
    }
  };

  /** What the limiter is asked for one call of a provider; none when the provider is not limited. */
  const limitRequestOf = (provider: string): LimitRequest | undefined => {
    const limit = limits[provider];
    if (!limit || !(limit.perWindow > 0)) return undefined;
    return {
      intervalMs: limit.windowMs / limit.perWindow,
      burst: limit.perWindow * 2,
      maxWaitMs: queueTimeoutMs,
    };
  };

  const rateLimited = async (provider: string): Promise<boolean> => {
    const request = limitRequestOf(provider);
    if (!request || !limiter.peek) return false;
    const decision = await limiter.peek(`provider:${provider}`, request);
    return !decision.admitted || decision.waitMs > 0;
  };

  /** Waits for the provider's turn; returns how long that took, in milliseconds. */
  const admit = async (spec: ProviderCallSpec): Promise<number> => {
    const request = limitRequestOf(spec.provider);
    if (!request) return 0;
    const decision = await limiter.reserve(`provider:${spec.provider}`, request);
    if (!decision.admitted) {
      telemetry.count(metrics.providerRateLimitedTotal.name, { provider: spec.provider });
      throw HttpError.rateLimited(
        decision.retryAfterMs,
        `The ${spec.provider} provider is at its limit and its queue is more than ${Math.round(queueTimeoutMs / 1000)} s long; retry later`,
      );
    }
    await wait(decision.waitMs, spec.signal);
    telemetry.observe(metrics.providerQueueWait.name, decision.waitMs / 1000, { provider: spec.provider });
    return decision.waitMs;
  };

  const spanAttributesOf = (spec: ProviderCallSpec): Attributes => ({
    [spanAttributes.kind]: 'provider',
    [spanAttributes.provider]: spec.provider,
    'gen_ai.system': spec.provider,
    'gen_ai.provider.name': spec.provider,
    'gen_ai.operation.name': spec.operation,
    'gen_ai.request.model': spec.model,
    ...spec.attributes,
  });

  const spanName = (spec: ProviderCallSpec): string =>
    spec.model ? `${spec.operation} ${spec.model}` : spec.operation;

  const recordTokens = (
    spec: ProviderCallSpec,
    tokens: TokenCounts,
    model: string | undefined,
  ): Attributes => {
    const labels = { provider: spec.provider, model: model ?? spec.model ?? 'unknown' };
    telemetry.count(metrics.providerTokensTotal.name, { ...labels, direction: 'input' }, tokens.input);
    telemetry.count(metrics.providerTokensTotal.name, { ...labels, direction: 'output' }, tokens.output);
    return { 'gen_ai.usage.input_tokens': tokens.input, 'gen_ai.usage.output_tokens': tokens.output };
  };

  const finish = (spec: ProviderCallSpec, status: string, startedAt: number | undefined): void => {
    const labels = { provider: spec.provider, operation: spec.operation, status };
    telemetry.count(metrics.providerRequestsTotal.name, labels);
    if (startedAt !== undefined) {
      telemetry.observe(metrics.providerDuration.name, (now() - startedAt) / 1000, labels);
    }
  };

  const cacheable = (spec: ProviderCacheSpec | undefined): spec is ProviderCacheSpec =>
    spec !== undefined && (spec.force === true || !(spec.temperature !== undefined && spec.temperature > 0));

  return {
    configured: isConfigured,
    requireConfigured,
    rateLimited,

    async call(spec, run) {
      requireConfigured(spec.provider);
      return telemetry.span(spanName(spec), spanAttributesOf(spec), async (span) => {
        let startedAt: number | undefined;
        try {
          const key =
            cache && cacheable(spec.cache)
              ? providerCacheKey(spec.provider, spec.operation, spec.model, spec.cache.request)
              : undefined;
          if (key !== undefined && cache) {
            const stored = await cache.get(key).catch(() => undefined);
            telemetry.count(metrics.providerCacheTotal.name, {
              provider: spec.provider,
              result: stored === undefined ? 'miss' : 'hit',
            });
            span.setAttributes({ 'cartrita.cache': stored === undefined ? 'miss' : 'hit' });
            if (stored !== undefined) {
              finish(spec, 'cached', undefined);
              return JSON.parse(stored) as Awaited<ReturnType<typeof run>>;
            }
          }
          const waitedMs = await admit(spec);
          span.setAttributes({ 'cartrita.queue_wait_ms': waitedMs });
          startedAt = now();
          const result = await run();
          const tokens = spec.usage?.(result);
          const responseModel = spec.responseModel?.(result);
          span.setAttributes({
            ...(tokens ? recordTokens(spec, tokens, responseModel) : {}),
            ...(responseModel ? { 'gen_ai.response.model': responseModel } : {}),
          });
          finish(spec, 'ok', startedAt);
          if (key !== undefined && cache) {
            const text = JSON.stringify(result);
            if (text !== undefined && text.length <= cacheOptions.maxEntryBytes) {
              // A cache that cannot keep the answer costs the next caller a call, not this one its answer.
              await cache.set(key, text, cacheOptions.ttlMs).catch(() => {});
            }
          }
          return result;
        } catch (error) {
          finish(spec, failureStatus(error, spec.signal), startedAt);
          throw error;
        }
      });
    },

    async *stream(spec, run) {
      requireConfigured(spec.provider);
      let settle: (error?: unknown) => void = () => {};
      let handle: { setAttributes(attributes: Attributes): void } | undefined;
      const opened = new Promise<void>((opening) => {
        telemetry
          .span(spanName(spec), { ...spanAttributesOf(spec), 'gen_ai.request.stream': true }, (span) => {
            handle = span;
            opening();
            return new Promise<void>((resolve, reject) => {
              settle = (error) => (error === undefined ? resolve() : reject(error));
            });
          })
          .catch(() => {});
      });
      await opened;
      let startedAt: number | undefined;
      let finished = false;
      try {
        const waitedMs = await admit(spec);
        handle?.setAttributes({ 'cartrita.queue_wait_ms': waitedMs });
        startedAt = now();
        for await (const chunk of run()) {
          const tokens = spec.usage?.(chunk);
          if (tokens) handle?.setAttributes(recordTokens(spec, tokens, spec.model));
          yield chunk;
        }
        finished = true;
        finish(spec, 'ok', startedAt);
        settle();
      } catch (error) {
        finished = true;
        finish(spec, failureStatus(error, spec.signal), startedAt);
        settle(error);
        throw error;
      } finally {
        // A consumer that stops early (it returned) ends the call as cancelled, the span without an error.
        if (!finished) finish(spec, 'cancelled', startedAt);
        settle();
      }
    },
  };
};
