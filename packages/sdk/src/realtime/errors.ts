import { CartritaError, type CartritaErrorKind, ERROR_BRAND } from '../core/errors.js';

/** Options of {@link RealtimeError}. */
export interface RealtimeErrorOptions {
  /** The server's error code, such as `VALIDATION_ERROR` or `PROVIDER_ERROR`. */
  code: string;
  /** The chat session the error belongs to, when it belongs to one. */
  chatSessionId?: string | undefined;
  /** The underlying error, if any. */
  cause?: unknown;
}

/**
 * The server answered on `/ws/chat` with an `error` message: a chat that could not start
 * (`THREAD_NOT_FOUND`, `PROVIDER_NOT_CONFIGURED`), a reply that failed (`PROVIDER_ERROR`), or a
 * message the server could not read (`VALIDATION_ERROR`).
 *
 * @example
 * ```ts
 * try {
 *   await chat.send('Hello').done;
 * } catch (error) {
 *   if (isRealtimeError(error)) console.log(error.code, error.serverMessage);
 * }
 * ```
 */
export class RealtimeError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'RealtimeError';

  /** The server's error code. */
  readonly code: string;
  /** The chat session the error belongs to, when it belongs to one. */
  readonly chatSessionId: string | undefined;
  /** The server's message, as sent. */
  readonly serverMessage: string;

  constructor(message: string, options: RealtimeErrorOptions) {
    super(`The /ws/chat server answered with ${options.code}: ${message}`, {
      method: 'GET',
      path: '/ws/chat',
      cause: options.cause,
    });
    this.code = options.code;
    this.chatSessionId = options.chatSessionId;
    this.serverMessage = message;
  }
}

/** Whether `value` is a {@link RealtimeError}, from this copy of the package or another. */
export const isRealtimeError = (value: unknown): value is RealtimeError => {
  if (typeof value !== 'object' || value === null) return false;
  const brand: unknown = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return Array.isArray(brand) && brand.includes('RealtimeError');
};

/**
 * The client secret a socket was opened with expired (the server closed it with 4401, or refused the
 * next connection with 401). A client secret belongs to one session and cannot be renewed for it: get
 * a new secret (`POST /api/chatkit/session`) and open a new stream. The event stream does not
 * reconnect after this error.
 *
 * @example
 * ```ts
 * try {
 *   for await (const event of client.events.stream(sessionId)) render(event);
 * } catch (error) {
 *   if (isClientSecretExpiredError(error)) await startOver();
 * }
 * ```
 */
export class ClientSecretExpiredError extends CartritaError {
  static override readonly kind: CartritaErrorKind = 'ClientSecretExpiredError';

  constructor(path: string, cause?: unknown) {
    super(
      `The client secret expired while following ${path}: get a new client secret (POST /api/chatkit/session) and open a new stream`,
      { method: 'GET', path, cause },
    );
  }
}

/** Whether `value` is a {@link ClientSecretExpiredError}, from this copy of the package or another. */
export const isClientSecretExpiredError = (value: unknown): value is ClientSecretExpiredError => {
  if (typeof value !== 'object' || value === null) return false;
  const brand: unknown = (value as { [ERROR_BRAND]?: unknown })[ERROR_BRAND];
  return Array.isArray(brand) && brand.includes('ClientSecretExpiredError');
};
