/**
 * @module @cartrita/sdk/huggingface: Hugging Face through the server (seed 000): a task on a model of
 * the Hub, with the server's key. Chat with Hugging Face models goes through `client.chat` with
 * `provider: 'huggingface'`.
 */

import {
  type HuggingFaceTask,
  type HuggingFaceTaskOutput,
  huggingFaceTaskOutputs,
} from '@cartrita/contracts';
import type { APIPromise } from '../core/api-promise.js';
import { APIResource, type RequestCallOptions } from '../core/resource.js';
import type { RouteBody } from '../core/route-types.js';

/**
 * `client.huggingface.inference()` params: `model` (a Hub id), `task` (default `text-generation`),
 * `inputs` of the task's shape, `parameters` as Hugging Face names them, `wait_for_model`.
 */
export type HuggingFaceInferenceParams<T extends HuggingFaceTask = 'text-generation'> = Omit<
  RouteBody<'huggingface.inference'>,
  'task'
> & { task?: T };

/**
 * `POST /api/huggingface/inference` (an API key with the `huggingface` scope). The answer is the task's
 * output as Hugging Face documents it, typed and checked by the task.
 *
 * @example
 * ```ts
 * const [summary] = await client.huggingface.inference({
 *   model: 'facebook/bart-large-cnn',
 *   task: 'summarization',
 *   inputs: longText,
 * });
 * console.log(summary?.summary_text);
 * ```
 */
export class HuggingFace extends APIResource {
  /** `POST /api/huggingface/inference`: runs a task on a model. */
  inference<T extends HuggingFaceTask = 'text-generation'>(
    params: HuggingFaceInferenceParams<T>,
    options?: RequestCallOptions,
  ): APIPromise<HuggingFaceTaskOutput<T>> {
    const task = (params.task ?? 'text-generation') as T;
    return this.transport.request({
      method: 'POST',
      path: '/api/huggingface/inference',
      body: { ...params, task },
      schema: huggingFaceTaskOutputs[task],
      ...options,
    }) as APIPromise<HuggingFaceTaskOutput<T>>;
  }
}
