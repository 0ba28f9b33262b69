/**
 * @module The mocks of computer use (seed 000), by the engine's rules over memory: runs of the caller's
 * user, 503 until a model is given to the store.
 */
import type { computerUseRoutes, IdsOf } from '@cartrita/contracts';
import type { Caller } from '@cartrita/engine';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { RouteImplementation } from '../route-handler.js';

const userOf = (caller: Caller): string => {
  const userId = userIdOf(caller.auth);
  if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
  return userId;
};

/** The mocks of `/api/computer-use/...`. */
export const computerUseImplementations: {
  readonly [K in IdsOf<typeof computerUseRoutes>]: RouteImplementation<K>;
} = {
  'computer_use.execute': async ({ json, store, caller, body }) =>
    json(await store.engine.computerUse.execute(body, userOf(caller)), { status: 201 }),
  'computer_use.continue': async ({ json, store, caller, params, body }) =>
    json(await store.engine.computerUse.continue(params.run_id, body, userOf(caller))),
  'computer_use.get': async ({ json, store, caller, params }) =>
    json(await store.engine.computerUse.get(params.run_id, userOf(caller))),
  'computer_use.cancel': async ({ json, store, caller, params }) =>
    json(await store.engine.computerUse.cancel(params.run_id, userOf(caller))),
};
