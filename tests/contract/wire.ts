/**
 * @module What the contract cases check on every response: `X-Request-Id`, the schema from the
 * contracts, no `null` anywhere, and ChatKit's exact SSE framing.
 */
import { ErrorEnvelope, ThreadStreamEvent } from '@cartrita/contracts';
import { expect } from 'vitest';

/** A schema from the contracts, as far as the cases use it (zod is not a dependency of the suite). */
export interface Schema<T> {
  safeParse(
    value: unknown,
  ):
    | { success: true; data: T }
    | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** Fails when `value` holds a `null` anywhere: the wire omits null fields. */
export const expectNoNulls = (value: unknown, what: string, path = '$'): void => {
  if (value === null) throw new Error(`${what}: null at ${path}; the wire omits null fields`);
  if (Array.isArray(value)) {
    for (const [index, entry] of value.entries()) expectNoNulls(entry, what, `${path}[${index}]`);
  } else if (typeof value === 'object' && value !== undefined) {
    for (const [key, entry] of Object.entries(value)) expectNoNulls(entry, what, `${path}.${key}`);
  }
};

/** Checks `value` against `schema` and returns it as sent (defaults are not filled in). */
export const expectSchema = <T>(schema: Schema<T>, value: unknown, what: string): T => {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.map(
      (issue) => `  ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new Error(`${what} breaks its schema:\n${issues.join('\n')}\n${JSON.stringify(value)}`);
  }
  return value as T;
};

const expectRequestId = (response: Response, what: string) => {
  expect(response.headers.get('x-request-id'), `${what}: X-Request-Id`).toMatch(/^\S+$/);
};

/**
 * Reads a JSON success: status, `X-Request-Id`, content type, no `null` (unless `nulls` says the
 * shape has them: seed 001 answers `"result": null`), schema.
 */
export const readJson = async <T>(
  response: Response,
  schema: Schema<T>,
  what: string,
  status = 200,
  nulls: 'none' | 'allowed' = 'none',
): Promise<T> => {
  const text = await response.text();
  expect(response.status, `${what}: status (body ${text})`).toBe(status);
  expectRequestId(response, what);
  expect(response.headers.get('content-type'), `${what}: content type`).toMatch(/^application\/json\b/);
  const body: unknown = JSON.parse(text);
  if (nulls === 'none') expectNoNulls(body, what);
  return expectSchema(schema, body, what);
};

/** Reads an error: its status, `X-Request-Id`, the envelope and its `code`. */
export const readError = async (
  response: Response,
  status: number,
  code: string,
  what: string,
): Promise<ErrorEnvelope> => {
  const envelope = await readJson(response, ErrorEnvelope, what, status);
  expect(envelope.error.code, `${what}: error code`).toBe(code);
  expect(envelope.error.type, `${what}: error type`).toMatch(/^[A-Z][A-Za-z]+$/);
  expect(Number.isNaN(Date.parse(envelope.timestamp)), `${what}: timestamp`).toBe(false);
  return envelope;
};

/**
 * Reads a whole ChatKit stream and checks its framing byte for byte: only `data: <compact JSON>\n\n`
 * frames (no `event:`, `id:`, `retry:`, comments or `[DONE]`), each a valid `ThreadStreamEvent`
 * without `null`.
 */
export const readEvents = async (response: Response, what: string): Promise<ThreadStreamEvent[]> => {
  if (response.status !== 200)
    throw new Error(`${what}: status ${response.status}: ${await response.text()}`);
  expectRequestId(response, what);
  expect(response.headers.get('content-type'), `${what}: content type`).toMatch(/^text\/event-stream\b/);
  const text = await response.text();
  expect(text, `${what}: SSE framing`).toMatch(/^(data: [^\n]+\n\n)+$/);
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame, index) => {
      const payload = frame.slice('data: '.length);
      const event: unknown = JSON.parse(payload);
      expect(JSON.stringify(event), `${what}: event ${index} is compact JSON`).toBe(payload);
      expectNoNulls(event, `${what}: event ${index}`);
      return expectSchema(ThreadStreamEvent, event, `${what}: event ${index}`);
    });
};

/** A short name of an event for order checks: `thread.item.done:user_message`, `text_delta`, ... */
export const eventName = (event: ThreadStreamEvent): string => {
  if (event.type === 'thread.item.updated')
    return event.update.type.replace(/^assistant_message\.content_part\./, '');
  if ('item' in event) return `${event.type}:${event.item.type}`;
  return event.type;
};
