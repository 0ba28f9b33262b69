import { APIConnectionError, type RequestDescription } from '../core/errors.js';

/** A `WebSocket` class: the global one of browsers and Node 22+, or one with the same API. */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocket;

const isNode = (): boolean =>
  typeof (globalThis as { process?: { versions?: { node?: unknown } } }).process?.versions?.node === 'string';

/**
 * The WebSocket URL of `path` under an HTTP base URL, which may carry a path prefix: http → ws,
 * https → wss. A relative base URL is read against the page's location.
 *
 * @example
 * ```ts
 * socketUrl('https://api.example.com/cartrita/', '/ws/chat').toString(); // 'wss://api.example.com/cartrita/ws/chat'
 * ```
 */
export const socketUrl = (baseURL: string, path: string): URL => {
  const base = (globalThis as { location?: { href?: string } }).location?.href;
  const url = new URL(baseURL, base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${path}`;
  url.search = '';
  url.hash = '';
  return url;
};

/** Whether a token is a client secret (minted by `POST /api/chatkit/session`) rather than an API key. */
export const isClientSecret = (token: string): boolean => token.startsWith('cks_');

/**
 * Puts a credential on a WebSocket connection, as HTTP calls carry it where the platform allows. A
 * client secret goes in the `access_token` query parameter (browsers cannot send headers on a
 * WebSocket, and the server redacts the parameter from its logs). An API key may not travel in a
 * URL: in Node (whose global `WebSocket` takes `{ headers }` as its second argument) it goes in the
 * `Authorization` header; in a browser it cannot be sent, and this throws an `APIConnectionError`
 * saying to use a client secret. Returns the second argument for the `WebSocket` constructor.
 */
export const authorizeSocket = (
  url: URL,
  token: string | undefined,
  where: RequestDescription,
): { headers: Record<string, string> } | undefined => {
  if (token === undefined) return undefined;
  if (isClientSecret(token)) {
    url.searchParams.set('access_token', token);
    return undefined;
  }
  if (!isNode()) {
    throw new APIConnectionError(`An API key cannot open ${where.path} from a browser: use a client secret`, {
      ...where,
    });
  }
  return { headers: { authorization: `Bearer ${token}` } };
};
