/** @module The port of Hugging Face's Inference API: one task run on one model. */
import type { HuggingFaceTask } from '@cartrita/contracts';

/** One run of a task, its inputs already checked against the task's shape. */
export interface HuggingFaceRun {
  task: HuggingFaceTask;
  model: string;
  inputs: unknown;
  parameters?: Record<string, unknown>;
  /** Wait for a cold model to load instead of failing at once. */
  waitForModel?: boolean;
  signal: AbortSignal;
}

/**
 * Runs tasks on Hugging Face. The server's implementation sends its own key and checks the answer
 * against the task's documented output; failures are `HttpError`s (404, 422, 429, 502).
 */
export interface HuggingFaceClient {
  run(request: HuggingFaceRun): Promise<unknown>;
}
