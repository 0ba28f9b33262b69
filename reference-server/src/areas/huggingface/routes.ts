/** @module The Hugging Face inference route (seed 000). */
import type { huggingfaceRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteHandlers } from '../../routes/types.js';

/** Hugging Face inference: the engine checks the inputs, the configured client runs the task. */
export const huggingfaceHandlers: RouteHandlers<IdsOf<typeof huggingfaceRoutes>> = {
  'huggingface.inference': async ({ app, body, signal }) =>
    (await app.engine.huggingface.infer(body, signal)) as never,
};
