/** @module `WS /ws/{client_id}`'s plain GET (seed 004): the socket itself is the studio door. */
import type { IdsOf, studioRoutes } from '@cartrita/contracts';
import { websocketOnly } from '@cartrita/engine';
import type { RouteHandlers } from '../../routes/types.js';

export const studioHandlers: RouteHandlers<IdsOf<typeof studioRoutes>> = {
  'studio.socket': async (ctx) => {
    throw websocketOnly(ctx.req.path);
  },
};
