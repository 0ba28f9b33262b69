/**
 * @module What the metrics read of a span, derived once by one rule: every repository stores these
 * facts beside the span, so a session's figures are counted the same in memory and in SQL.
 */
import { spanAttributes } from '../telemetry.js';
import type { StoredSpan } from './repositories.js';

/** The facts of a span the metrics count. */
export interface SpanFacts {
  /** `cartrita.kind`: request, command, engine, tool, handler, sandbox. */
  kind?: string;
  session_id?: string;
  /**
   * `cartrita.status` when set (`completed`, `failed`, `timeout`, `cancelled`); otherwise `failed`
   * for a span that ended in error and `completed` for one of the engine's kinds that did not.
   */
  outcome?: string;
  input_tokens: number;
  output_tokens: number;
  sandbox_ms: number;
}

/** The kinds of span whose outcome counts even when they set no `cartrita.status`. */
const workKinds = new Set(['command', 'engine', 'tool', 'handler', 'sandbox', 'provider']);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const amount = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;

/**
 * The facts of a span: its kind and session from its attributes, its outcome, and the tokens and
 * sandbox time it carries.
 *
 * @example
 * spanFacts(span); // { kind: 'command', session_id: 'sess_1', outcome: 'completed', input_tokens: 0, ... }
 */
export const spanFacts = (span: Pick<StoredSpan, 'attributes' | 'status'>): SpanFacts => {
  const attributes = span.attributes;
  const kind = text(attributes[spanAttributes.kind]);
  const sessionId = text(attributes[spanAttributes.sessionId]);
  const outcome =
    text(attributes[spanAttributes.status]) ??
    (span.status.code === 'error'
      ? 'failed'
      : kind !== undefined && workKinds.has(kind)
        ? 'completed'
        : undefined);
  return {
    ...(kind === undefined ? {} : { kind }),
    ...(sessionId === undefined ? {} : { session_id: sessionId }),
    ...(outcome === undefined ? {} : { outcome }),
    input_tokens: Math.round(amount(attributes[spanAttributes.inputTokens])),
    output_tokens: Math.round(amount(attributes[spanAttributes.outputTokens])),
    sandbox_ms: amount(attributes[spanAttributes.sandboxMs]),
  };
};
