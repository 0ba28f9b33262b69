/**
 * @module The server's side of the one error class: the engine's {@link HttpError}, plus the errors
 * only an HTTP server meets (Express's body readers, the router's path decoding).
 */
import { HttpError, toHttpError as toEngineError } from '@cartrita/engine';

export {
  errorEnvelope,
  fieldIssuesFromZod,
  HttpError,
  type HttpErrorOptions,
  isHttpError,
} from '@cartrita/engine';

/**
 * Turns anything thrown into an {@link HttpError}: the engine's mapping (an `HttpError` as it is, a
 * zod error as 422, an exposed 4xx http-errors style error with its status, anything else a 500 that
 * reveals nothing), plus a body-reader error as 400/413/415 and a `URIError` (a path that does not
 * decode) as 400.
 *
 * Also meant for SSE `error` frames and WebSocket `error` messages, so every door reports errors alike.
 */
export const toHttpError = (error: unknown): HttpError => {
  const fromBody = fromBodyParserError(error);
  if (fromBody) return fromBody;
  // The router's failure to decode a path parameter (the path-encoding middleware stops these first).
  if (error instanceof URIError) {
    return new HttpError('BAD_REQUEST', 'The request path has a malformed percent-encoding.', {
      cause: error,
    });
  }
  return toEngineError(error);
};

/**
 * Maps the errors of Express's body parsers (body-parser 2 / raw-body 3), recognised by their `type`,
 * to the API's codes. Returns `undefined` for anything else.
 */
export const fromBodyParserError = (error: unknown): HttpError | undefined => {
  if (typeof error !== 'object' || error === null) return undefined;
  const { type } = error as { type?: unknown };
  if (typeof type !== 'string') return undefined;
  const facts = error as { limit?: unknown; length?: unknown; message?: unknown; charset?: unknown };
  switch (type) {
    case 'entity.parse.failed': {
      const reason = typeof facts.message === 'string' ? facts.message : '';
      const position = /position (\d+)/.exec(reason)?.[1];
      const where = /line (\d+) column (\d+)/.exec(reason);
      const details: Record<string, unknown> = {};
      if (position !== undefined) details.position = Number(position);
      if (where) {
        details.line = Number(where[1]);
        details.column = Number(where[2]);
      }
      const suffix = position === undefined ? '' : ` (at position ${position})`;
      return new HttpError('BAD_REQUEST', `Request body is not valid JSON${suffix}: ${reason}`, {
        details,
        cause: error,
      });
    }
    case 'entity.too.large': {
      const limit = typeof facts.limit === 'number' ? facts.limit : undefined;
      return new HttpError(
        'PAYLOAD_TOO_LARGE',
        limit === undefined
          ? 'Request body is too large'
          : `Request body is too large: the limit is ${limit} bytes`,
        { details: limit === undefined ? {} : { limit }, cause: error },
      );
    }
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return new HttpError(
        'UNSUPPORTED_MEDIA_TYPE',
        type === 'charset.unsupported'
          ? `Unsupported request body charset${typeof facts.charset === 'string' ? ` "${facts.charset}"` : ''}`
          : 'Unsupported request body content encoding',
        { cause: error },
      );
    case 'request.aborted':
      return new HttpError('BAD_REQUEST', 'The request was aborted before its body was read', {
        cause: error,
      });
    case 'request.size.invalid':
      return new HttpError('BAD_REQUEST', 'Request body size did not match its Content-Length', {
        cause: error,
      });
    case 'entity.verify.failed':
      return new HttpError('BAD_REQUEST', 'Request body failed verification', { cause: error });
    default:
      return undefined;
  }
};
