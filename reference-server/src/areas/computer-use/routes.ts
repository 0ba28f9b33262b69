/** @module Computer-use routes (seed 000): runs of the caller's user. */
import type { computerUseRoutes, IdsOf } from '@cartrita/contracts';
import { HttpError, userIdOf } from '@cartrita/engine';
import type { Request } from 'express';
import type { RouteHandlers } from '../../routes/types.js';

const userOf = (req: Request): string => {
  const userId = userIdOf(req.auth);
  if (!userId) throw HttpError.unauthorized('Authentication required: send an API key');
  return userId;
};

/** Computer use: start, continue, read and cancel runs. */
export const computerUseHandlers: RouteHandlers<IdsOf<typeof computerUseRoutes>> = {
  'computer_use.execute': ({ app, req, body }) => app.engine.computerUse.execute(body, userOf(req)),
  'computer_use.continue': ({ app, req, params, body }) =>
    app.engine.computerUse.continue(params.run_id, body, userOf(req)),
  'computer_use.get': ({ app, req, params }) => app.engine.computerUse.get(params.run_id, userOf(req)),
  'computer_use.cancel': ({ app, req, params }) => app.engine.computerUse.cancel(params.run_id, userOf(req)),
};
