/** @module Reading the client's messages on `/ws/chat`: JSON, then the contract's schema. */
import { WsClientMessage } from '@cartrita/contracts';
import type * as z from 'zod/mini';
import { jsonDepth, maxJsonDepth } from '../json.js';

/** The `data` of an `error` message. */
export interface WsErrorData {
  code: string;
  message: string;
  chat_session_id?: string;
}

/** A client message that was read, or why it could not be. */
export type ParsedClientMessage =
  | { ok: true; message: WsClientMessage }
  | {
      ok: false;
      error: WsErrorData;
      /** Whether the message claimed to be a `chat`, so its answer belongs to a chat session. */
      chat: boolean;
    };

type Issue = z.core.$ZodIssue;

/** The value at `path` in what the client sent, if there is one. */
const valueAt = (json: unknown, path: readonly PropertyKey[]): unknown =>
  path.reduce<unknown>(
    (node, key) =>
      typeof node === 'object' && node !== null ? (node as Record<PropertyKey, unknown>)[key] : undefined,
    json,
  );

const article = (word: string) => (/^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`);

/** A sentence about one failing field, for people: `data.message must have at least 1 character`. */
const describe = (issue: Issue, json: unknown): string => {
  const where = issue.path.length === 0 ? 'the message' : issue.path.map(String).join('.');
  switch (issue.code) {
    case 'invalid_type':
      return valueAt(json, issue.path) === undefined
        ? `${where} is required`
        : `${where} must be ${article(issue.expected)}`;
    case 'invalid_union':
      return 'options' in issue && Array.isArray(issue.options)
        ? `${where} must be one of ${issue.options.map(String).join(', ')}`
        : `${where} is invalid`;
    case 'too_small':
      return issue.origin === 'string'
        ? `${where} must have at least ${issue.minimum} character${issue.minimum === 1 ? '' : 's'}`
        : `${where} must be at least ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'string'
        ? `${where} must have at most ${issue.maximum} characters`
        : `${where} must be at most ${issue.maximum}`;
    case 'invalid_value':
      return `${where} must be one of ${issue.values.map(String).join(', ')}`;
    default:
      return `${where} is invalid`;
  }
};

const validation = (message: string, chat: boolean): ParsedClientMessage => ({
  ok: false,
  error: { code: 'VALIDATION_ERROR', message },
  chat,
});

/**
 * Reads one WebSocket text message as a {@link WsClientMessage}. Anything else is a
 * `VALIDATION_ERROR` whose message names the first failing field (`data.message`), so the
 * client can fix it; the socket stays open either way. JSON that nests deeper than the server
 * accepts anywhere (64 levels) is refused before it is parsed.
 */
export const parseClientMessage = (raw: string): ParsedClientMessage => {
  if (jsonDepth(raw, maxJsonDepth) > maxJsonDepth) {
    return validation(`The message nests deeper than ${maxJsonDepth} levels.`, false);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return validation('The message is not valid JSON: send one JSON object per text frame.', false);
  }
  const chat = typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'chat';
  const result = WsClientMessage.safeParse(json);
  if (result.success) return { ok: true, message: result.data };
  const [first, ...rest] = result.error.issues;
  const more = rest.length > 0 ? ` (and ${rest.length} more)` : '';
  return validation(`Invalid message: ${first ? describe(first, json) : 'it is invalid'}${more}.`, chat);
};
