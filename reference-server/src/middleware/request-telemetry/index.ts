/**
 * @module The `request-telemetry` middleware: every request is a span (its trace id answered in
 * `X-Trace-Id`) and a sample of the HTTP metrics; the rest of the request runs inside the span, so
 * the spans it starts are its children and its log lines carry its trace id.
 */
import type { RouteDef } from '@cartrita/contracts';
import {
  type Attributes,
  requestSpanAttributes,
  requestSpanName,
  routeSpanAttributes,
  statusSpanAttributes,
} from '@cartrita/engine';
import {
  type Attributes as OtelAttributes,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import type { TraceContext } from '../../telemetry/trace-context.js';

/** A request once answered, for the HTTP metrics. */
export interface AnsweredRequest {
  method: string;
  /** The route id, or `other` for a request outside the route table. */
  route: string;
  status: number;
  /** From the start of the middleware until the answer was sent (or the client went away). */
  seconds: number;
}

/** Options of {@link requestTelemetry}. */
export interface RequestTelemetryOptions {
  /** Starts the request spans; without it (tracing off) no span is recorded. */
  tracer?: Tracer | undefined;
  /** The server's context manager; needed with `tracer`. */
  context?: TraceContext | undefined;
  /** Told of every answered request (also those without a span). */
  onResponse?: (request: AnsweredRequest) => void;
  /** Requests that record no span, such as health checks and scrapes. */
  skip?: (req: Request) => boolean;
  /** The response header with the trace id; default `X-Trace-Id`. */
  header?: string;
}

/** What a request's route stage tells the middleware. */
interface RequestState {
  span?: Span;
  routeId?: string;
}

const states = new WeakMap<Response, RequestState>();

const clean = (attributes: Attributes): OtelAttributes => {
  const out: OtelAttributes = {};
  for (const [name, value] of Object.entries(attributes)) if (value !== undefined) out[name] = value;
  return out;
};

/** The trace id of the request a response answers, when the request is traced. */
export const traceIdOf = (res: Response): string | undefined => states.get(res)?.span?.spanContext().traceId;

/**
 * Makes every request a span named `<METHOD>` until its route names it `<METHOD> <route path>` (see
 * {@link routeTelemetry}), with the request id, route id and status as attributes; a 5xx marks it
 * failed. The trace id is answered in `X-Trace-Id`. Mount it right after `requestId`.
 *
 * @example
 * app.use(requestId());
 * app.use(requestTelemetry({ tracer, context: traces, onResponse: countRequest }));
 */
export const requestTelemetry = (options: RequestTelemetryOptions = {}) => {
  const { tracer, context, onResponse, skip } = options;
  if (tracer && !context) throw new TypeError('requestTelemetry: a tracer needs its context');
  const header = options.header ?? 'X-Trace-Id';
  if (!/^[A-Za-z0-9-]+$/.test(header)) {
    throw new TypeError(`requestTelemetry: invalid header name ${JSON.stringify(header)}`);
  }

  return function requestTelemetry(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    const state: RequestState = {};
    states.set(res, state);
    let answered = false;
    const finish = () => {
      if (answered) return;
      answered = true;
      const status = res.statusCode;
      onResponse?.({
        method: req.method,
        route: state.routeId ?? 'other',
        status,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
      });
      const { span } = state;
      if (!span) return;
      span.setAttributes(clean(statusSpanAttributes(status)));
      if (status >= 500) span.setStatus({ code: SpanStatusCode.ERROR, message: `Answered ${status}` });
      span.end();
    };
    res.once('finish', finish);
    res.once('close', finish);
    if (!tracer || !context || skip?.(req)) {
      next();
      return;
    }
    const span = tracer.startSpan(
      requestSpanName(req.method),
      { kind: SpanKind.SERVER, attributes: clean(requestSpanAttributes(req.method, req.id)) },
      ROOT_CONTEXT,
    );
    state.span = span;
    res.setHeader(header, span.spanContext().traceId);
    // The route runs in the request's trace. The response's own listeners (the request log's) are not
    // bound to it, which would wrap every listener of every response: they ask `traceIdOf` instead.
    context.manager.with(trace.setSpan(ROOT_CONTEXT, span), next);
  };
};

/**
 * Names the request's span after the route that serves it and counts the request under the route
 * id. Mount it first in the route's own chain, so that refused requests are named too.
 *
 * @example
 * app.get(toExpressPath(route.path), routeTelemetry(route), requireAuth(route.auth), endpoint);
 */
export const routeTelemetry = (route: Pick<RouteDef, 'id' | 'method' | 'path'>) =>
  function routeTelemetry(_req: Request, res: Response, next: NextFunction): void {
    const state = states.get(res);
    if (state) {
      state.routeId = route.id;
      state.span?.updateName(requestSpanName(route.method, route));
      state.span?.setAttributes(clean(routeSpanAttributes(route)));
    }
    next();
  };
