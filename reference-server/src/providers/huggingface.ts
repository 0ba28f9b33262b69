/**
 * @module Hugging Face's Inference API over ky: a task's documented request (`{inputs, parameters}`) to
 * `/models/{model}`, its documented answer checked, its failures mapped to ours.
 */
import { type HuggingFaceTask, huggingFaceTaskOutputs } from '@cartrita/contracts';
import type { HuggingFaceClient, HuggingFaceRun } from '@cartrita/engine';
import ky from 'ky';
import { Secret } from '../config/secret.js';
import { HttpError } from '../http-error.js';
import { callProvider, type ProviderCaller } from './call.js';
import {
  readJson,
  retryAfterMsOf,
  type UpstreamFacts,
  upstreamMalformed,
  upstreamMessageOf,
  upstreamRateLimited,
  upstreamStatus,
  upstreamThrown,
} from './upstream-failure.js';

/** Options of {@link createHuggingFaceClient}. */
export interface HuggingFaceClientOptions {
  /** The token sent as `Authorization: Bearer`; never logged or passed on. */
  apiKey: string | Secret;
  /** The Inference API; default Hugging Face's `https://router.huggingface.co/hf-inference`. */
  inferenceURL?: string;
  /** The longest wait for an answer, in milliseconds; default 120000. */
  timeoutMs?: number;
  /** Where the call runs through (limits, caching, metrics, tracing); default as it is. */
  call?: ProviderCaller;
  /** The clock, for a `Retry-After` given as a date; default `Date.now`. */
  now?: () => number;
}

/** Hugging Face's Inference API on its router. */
export const defaultInferenceURL = 'https://router.huggingface.co/hf-inference';

/** Tasks Hugging Face serves under `/models/{model}/pipeline/{task}`, since one model may do several. */
const pipelineTasks: ReadonlySet<HuggingFaceTask> = new Set(['feature-extraction', 'sentence-similarity']);

/** The path of a task on a model, each segment of the model id encoded. */
export const inferencePath = (task: HuggingFaceTask, model: string): string => {
  const encoded = model.split('/').map(encodeURIComponent).join('/');
  return pipelineTasks.has(task) ? `models/${encoded}/pipeline/${task}` : `models/${encoded}`;
};

/**
 * Creates the client of `POST /api/huggingface/inference`. Hugging Face's failures become ours: 404 →
 * 404 `NOT_FOUND`; 400 and 422 (inputs the model rejects) → 422; 429 → 429 `RATE_LIMITED` with
 * `Retry-After`; 503 with `estimated_time` (a cold model) → 502 with `Retry-After` and
 * `details.reason: "loading"`; 401/403 → 502 naming `HUGGINGFACE_API_KEY`; 5xx, timeouts, lost
 * connections and answers without the task's documented shape → 502 `PROVIDER_ERROR`.
 */
export const createHuggingFaceClient = (options: HuggingFaceClientOptions): HuggingFaceClient => {
  const apiKey = options.apiKey instanceof Secret ? options.apiKey.reveal() : options.apiKey;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const now = options.now ?? Date.now;
  const call = options.call ?? callProvider;
  const facts: UpstreamFacts = { provider: 'huggingface', keySetting: 'HUGGINGFACE_API_KEY', timeoutMs };
  const http = ky.create({
    prefix: options.inferenceURL ?? defaultInferenceURL,
    timeout: timeoutMs,
    retry: 0,
    throwHttpErrors: false,
    headers: { Authorization: `Bearer ${apiKey}` },
  });

  const run = async ({
    task,
    model,
    inputs,
    parameters,
    waitForModel,
    signal,
  }: HuggingFaceRun): Promise<unknown> => {
    let response: Response;
    try {
      response = await http.post(inferencePath(task, model), {
        json: { inputs, ...(parameters ? { parameters } : {}) },
        signal,
        ...(waitForModel ? { headers: { 'x-wait-for-model': 'true' } } : {}),
      });
    } catch (error) {
      throw upstreamThrown(error, facts, signal);
    }
    const body = await readJson(response).catch((error: unknown) => {
      throw upstreamThrown(error, facts, signal);
    });
    if (!response.ok) throw failureOf(response, body.ok ? body.value : undefined, model);
    if (!body.ok) throw upstreamMalformed(facts, response.status);
    const output = huggingFaceTaskOutputs[task].safeParse(body.value);
    if (!output.success) throw upstreamMalformed(facts, response.status);
    return body.value;
  };

  const failureOf = (response: Response, body: unknown, model: string): HttpError => {
    const { status } = response;
    const message = upstreamMessageOf(body);
    if (status === 429) return upstreamRateLimited(facts, status, retryAfterMsOf(response.headers, now()));
    if (status === 404) {
      return new HttpError('NOT_FOUND', `Hugging Face does not serve the model ${model} for this task.`, {
        details: { provider: 'huggingface', upstream_status: 404 },
      });
    }
    if (status === 400 || status === 422) {
      return HttpError.validation(
        [{ path: 'inputs', message: message ?? 'Hugging Face rejected the inputs' }],
        `Hugging Face rejected the request: ${message ?? 'invalid inputs'}`,
      );
    }
    const estimated = (body as { estimated_time?: unknown } | undefined)?.estimated_time;
    if (status === 503 && typeof estimated === 'number') {
      const seconds = Math.max(1, Math.ceil(estimated));
      return new HttpError(
        'PROVIDER_ERROR',
        `The model ${model} is loading on Hugging Face; retry after ${seconds} s, or send wait_for_model: true.`,
        {
          details: {
            provider: 'huggingface',
            upstream_status: 503,
            reason: 'loading',
            estimated_time: estimated,
          },
          headers: { 'Retry-After': String(seconds) },
        },
      );
    }
    return upstreamStatus(facts, status, message);
  };

  return {
    run: (request) => {
      const temperature = request.parameters?.temperature;
      return call(
        {
          provider: 'huggingface',
          operation: 'inference',
          model: request.model,
          signal: request.signal,
          cache: {
            request: {
              task: request.task,
              model: request.model,
              inputs: request.inputs,
              parameters: request.parameters,
            },
            ...(typeof temperature === 'number' ? { temperature } : {}),
          },
        },
        () => run(request),
      );
    },
  };
};
