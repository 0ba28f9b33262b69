/** @module The mock of Hugging Face inference (seed 000), by the engine's rules: 422, 503, or the client's answer. */
import type { huggingfaceRoutes, IdsOf } from '@cartrita/contracts';
import type { RouteImplementation } from '../route-handler.js';

/** The mock of `POST /api/huggingface/inference`. */
export const huggingfaceImplementations: {
  readonly [K in IdsOf<typeof huggingfaceRoutes>]: RouteImplementation<K>;
} = {
  'huggingface.inference': async ({ json, store, body, signal }) =>
    json(await store.engine.huggingface.infer(body, signal)),
};
