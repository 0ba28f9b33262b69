/** @module The observability area's routes: logs, metrics and traces (seed 001) and `GET /metrics`. */
import { type IdsOf, type observabilityRoutes, prometheusContentType } from '@cartrita/contracts';
import { HttpError } from '../../http-error.js';
import type { RouteHandlers } from '../../routes/types.js';

/** `/api/observability/*` and `/metrics`. */
export const observabilityHandlers: RouteHandlers<IdsOf<typeof observabilityRoutes>> = {
  'observability.logs.list': async ({ app, query }) => app.engine.observability.listLogs(query),

  'observability.logs.create': async ({ app, body }) => app.engine.observability.recordLog(body),

  'observability.metrics.get': async ({ app, query }) => app.engine.observability.metrics(query),

  'observability.traces.get': async ({ app, params }) => app.engine.observability.trace(params.trace_id),

  'observability.prometheus': async ({ app, res }) => {
    const { prometheus } = app.telemetry;
    if (!prometheus) throw new HttpError('NOT_FOUND', 'Metrics are turned off (ENABLE_METRICS=false)');
    const text = await prometheus.text();
    res.setHeader('Cache-Control', 'no-store');
    res.type(prometheusContentType).send(text);
    return undefined;
  },
};
