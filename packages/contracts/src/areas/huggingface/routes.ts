import { defineRoute } from '../../route.js';
import { HuggingFaceInferenceRequest, HuggingFaceInferenceResponse } from './schemas.js';

/** Hugging Face (seed 000): the Inference API; chat goes through the chat doors with `provider: "huggingface"`. */
export const huggingfaceRoutes = [
  defineRoute({
    id: 'huggingface.inference',
    method: 'POST',
    path: '/api/huggingface/inference',
    tag: 'huggingface',
    summary: 'Run a Hugging Face model on a task',
    description:
      'Runs `task` (default `text-generation`) with `model` through Hugging Face’s Inference API, with the ' +
      'server’s key. `inputs` must have the task’s shape (422 otherwise); the answer is the task’s output as ' +
      'Hugging Face documents it. A model Hugging Face does not serve is a 404; a cold model answers 502 with ' +
      '`Retry-After` unless `wait_for_model` is true. 503 `PROVIDER_NOT_CONFIGURED` without `HUGGINGFACE_API_KEY`.',
    auth: { scope: 'huggingface' },
    body: HuggingFaceInferenceRequest,
    response: { json: HuggingFaceInferenceResponse, nulls: true },
    errors: ['NOT_FOUND', 'PROVIDER_NOT_CONFIGURED', 'PROVIDER_ERROR', 'RATE_LIMITED'],
  }),
] as const;
