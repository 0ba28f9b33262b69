/** @module A WebSocket door: the path it serves, the checks before its upgrade, and what each socket speaks. */
import type { IncomingMessage } from 'node:http';
import type { RouteId } from '@cartrita/contracts';
import type { AuthContext } from '@cartrita/engine';
import type { OutboundOptions } from './outbound.js';

/** An upgrade request the door is asked to take, already authorised for its route. */
export interface DoorRequest {
  req: IncomingMessage;
  auth: AuthContext;
  /** The path's parameters (`session_id`, ...). */
  params: Record<string, string>;
  query: URLSearchParams;
  /** The origin clients reach the server at, for absolute URLs. */
  baseUrl: string;
}

/** What a socket of a door can do to its peer. */
export interface DoorSocket {
  send(message: unknown): void;
  close(code: number, reason: string): void;
}

/** One socket's conversation. */
export interface DoorConnection {
  /** Called once the socket is open. */
  start(): void;
  receive(text: string): void;
  receiveBinary(): void;
  /** The socket closed or is closing: stop what runs for it. */
  close(): void;
}

/** A request the door accepted: opens the socket's conversation. */
export interface DoorAdmission {
  /** Fields of the socket's log lines. */
  fields: Record<string, unknown>;
  /** How its outbound queue joins and sizes messages; default: `/ws/chat`'s. */
  outbound?: Pick<OutboundOptions<unknown>, 'coalesce' | 'sizeOf'>;
  open(socket: DoorSocket): DoorConnection;
}

/** A WebSocket door of the server. */
export interface SocketDoor {
  /** Where open sockets are counted (`chat`, `events`, `studio`). */
  name: 'chat' | 'events' | 'studio';
  /** The route of the table it serves: its path and who may call it. */
  routeId: RouteId;
  /**
   * Checks a request the route's auth let through (a session it cannot reach: 404, ...), throwing
   * the `HttpError` to refuse the upgrade with.
   */
  admit(request: DoorRequest): Promise<DoorAdmission>;
}

/** Matches a path against a route path with `{param}` placeholders; its parameters, or `undefined`. */
export const matchPath = (pattern: string, path: string): Record<string, string> | undefined => {
  const names: string[] = [];
  const source = pattern
    .replace(/[.*+?^$()|[\]\\]/g, '\\$&')
    .replace(/\\?\{(\w+)\\?\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
  const match = new RegExp(`^${source}$`).exec(path);
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const [index, name] of names.entries()) {
    try {
      params[name] = decodeURIComponent(match[index + 1] as string);
    } catch {
      return undefined;
    }
  }
  return params;
};
