/** @module The Hugging Face inference rules: the task's input shape, then the configured client. */
import { type HuggingFaceInferenceRequest, huggingFaceTaskInputs } from '@cartrita/contracts';
import { fieldIssuesFromZod, HttpError } from '../errors.js';
import type { HuggingFaceClient } from './client.js';

/** Hugging Face inference: 422 for inputs of the wrong shape, 503 where the server has no key. */
export class HuggingFaceService {
  readonly #client: HuggingFaceClient | undefined;

  constructor(client?: HuggingFaceClient) {
    this.#client = client;
  }

  /** Whether the server has a Hugging Face key. */
  get configured(): boolean {
    return this.#client !== undefined;
  }

  /** Runs `request.task` on `request.model`: the task's output, as Hugging Face sent it. */
  async infer(request: HuggingFaceInferenceRequest, signal: AbortSignal): Promise<unknown> {
    const inputs = huggingFaceTaskInputs[request.task].safeParse(request.inputs);
    if (!inputs.success) {
      throw HttpError.validation(
        fieldIssuesFromZod(inputs.error, 'inputs'),
        `inputs do not have the shape of the ${request.task} task`,
      );
    }
    if (!this.#client) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        'Hugging Face is not configured on this server: set HUGGINGFACE_API_KEY.',
        { details: { provider: 'huggingface' } },
      );
    }
    return this.#client.run({
      task: request.task,
      model: request.model,
      inputs: inputs.data,
      ...(request.parameters ? { parameters: request.parameters } : {}),
      ...(request.wait_for_model === undefined ? {} : { waitForModel: request.wait_for_model }),
      signal,
    });
  }
}
