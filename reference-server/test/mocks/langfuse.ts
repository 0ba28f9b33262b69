/**
 * @module An MSW handler of Langfuse's OTLP endpoint (`POST <base>/api/public/otel/v1/traces`), built
 * from the OTLP/HTTP JSON encoding: an `ExportTraceServiceRequest` whose trace and span ids are hex
 * strings, enums numbers and 64-bit integers decimal strings. Every body is checked against that
 * schema, and the spans that arrive are kept with the headers they came with.
 *
 * @example
 * const langfuse = langfuseHandler({ baseURL: 'https://langfuse.test' });
 * const server = setupServer(langfuse.handler);
 * expect(langfuse.spans.map((span) => span.name)).toContain('POST /api/observability/logs');
 */
import { HttpResponse, http } from 'msw';
import * as z from 'zod/mini';

/** An OTLP `AnyValue` in JSON: one of its fields is set. */
const AnyValue = z.object({
  stringValue: z.optional(z.string()),
  boolValue: z.optional(z.boolean()),
  intValue: z.optional(z.union([z.string().check(z.regex(/^-?\d+$/)), z.int()])),
  doubleValue: z.optional(z.number()),
  arrayValue: z.optional(z.object({ values: z.array(z.unknown()) })),
});

const KeyValue = z.object({ key: z.string(), value: AnyValue });

const hex = (length: number) => z.string().check(z.regex(new RegExp(`^[0-9a-f]{${length}}$`)));
const nanos = z.string().check(z.regex(/^\d+$/));

/** One span of an OTLP/JSON export. */
export const OtlpSpan = z.object({
  traceId: hex(32),
  spanId: hex(16),
  parentSpanId: z.optional(z.union([hex(16), z.literal('')])),
  name: z.string(),
  kind: z.int().check(z.minimum(0), z.maximum(5)),
  startTimeUnixNano: nanos,
  endTimeUnixNano: nanos,
  attributes: z.array(KeyValue),
  status: z.object({ code: z.optional(z.int()), message: z.optional(z.string()) }),
});
export type OtlpSpan = z.infer<typeof OtlpSpan>;

/** `ExportTraceServiceRequest` in the OTLP/HTTP JSON encoding. */
export const ExportTraceServiceRequest = z.object({
  resourceSpans: z.array(
    z.object({
      resource: z.object({ attributes: z.array(KeyValue) }),
      scopeSpans: z.array(
        z.object({
          scope: z.object({ name: z.string(), version: z.optional(z.string()) }),
          spans: z.array(OtlpSpan),
        }),
      ),
    }),
  ),
});
export type ExportTraceServiceRequest = z.infer<typeof ExportTraceServiceRequest>;

/** One export request as it arrived. */
export interface ReceivedExport {
  headers: Headers;
  body: ExportTraceServiceRequest;
}

/** Options of {@link langfuseHandler}. */
export interface LangfuseHandlerOptions {
  /** The Langfuse server, as `LANGFUSE_BASE_URL` names it. */
  baseURL: string;
  /** The status to answer with: 200 with an empty partial success by default; 401 as for wrong keys. */
  status?: number;
}

/** The handler, and what it received. */
export const langfuseHandler = (options: LangfuseHandlerOptions) => {
  const received: ReceivedExport[] = [];
  const handler = http.post(`${options.baseURL}/api/public/otel/v1/traces`, async ({ request }) => {
    const body = ExportTraceServiceRequest.parse(await request.json());
    received.push({ headers: request.headers, body });
    if (options.status !== undefined && options.status !== 200) {
      return HttpResponse.json({ message: 'Invalid credentials' }, { status: options.status });
    }
    return HttpResponse.json({ partialSuccess: {} });
  });
  return {
    handler,
    received,
    /** Every span received, in order of arrival. */
    get spans(): OtlpSpan[] {
      return received.flatMap((entry) =>
        entry.body.resourceSpans.flatMap((resource) => resource.scopeSpans.flatMap((scope) => scope.spans)),
      );
    },
  };
};

/** The value of an OTLP attribute, as JSON gives it. */
export const attributeValue = (span: OtlpSpan, key: string): unknown => {
  const value = span.attributes.find((attribute) => attribute.key === key)?.value;
  return value?.stringValue ?? value?.boolValue ?? value?.intValue ?? value?.doubleValue;
};
