/**
 * @module @cartrita/sdk/core: the transport core of the Cartrita SDK (requests, retries, timeouts, typed
 * errors, streams) and `createClient`, which builds a client with only the resources it is given.
 */

// Clients and resources
export type { RawCall, WithResponse } from './api-promise.js';
export { APIPromise } from './api-promise.js';
export type { Client, ClientOptions, CreateClientOptions, ResourceClass } from './create-client.js';
export { createClient, createTransport } from './create-client.js';
// Errors
export type {
  APIErrorInit,
  APITimeoutErrorOptions,
  CartritaErrorKind,
  CartritaErrorOptions,
  ErrorEnvelope,
  RequestDescription,
  ResponseValidationErrorOptions,
  TimeoutKind,
  ValidationIssue,
} from './errors.js';
export {
  APIConnectionError,
  APIError,
  APITimeoutError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  CartritaError,
  ConflictError,
  ERROR_BRAND,
  InternalServerError,
  isAPIConnectionError,
  isAPIError,
  isAPITimeoutError,
  isAPIUserAbortError,
  isAuthenticationError,
  isCartritaError,
  isNotFoundError,
  isRateLimitError,
  isResponseValidationError,
  isStreamError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  StreamError,
  UnprocessableEntityError,
} from './errors.js';
export type { HeadersInput } from './headers.js';
export { MAX_RETRY_AFTER_MS, mergeHeaders, parseRetryAfter } from './headers.js';
export type { Logger, LogLevel } from './logger.js';
export type { Page, PageMethods, PageSpec } from './pagination.js';
export { offsetPages, PagePromise, requestPage, toPage } from './pagination.js';
// Paths and headers
export type { PathSegment } from './path.js';
export { path } from './path.js';
// Transport
export type {
  AuthTokenContext,
  AuthTokenProvider,
  CallOptions,
  FetchLike,
  HttpMethod,
  QueryInput,
  RequestOptions,
  RetryEvent,
  SchemaRequestOptions,
  StreamRequestOptions,
  TransportOptions,
} from './request.js';
export { RETRY_COUNT_HEADER, Transport } from './request.js';
export type { RequestCallOptions } from './resource.js';
export { APIResource } from './resource.js';
// Resumable streams
export type {
  Connection,
  IdentifiedEvent,
  ReconnectEvent,
  ResumableConnectorInit,
  ResumeOptions,
} from './resumable-stream.js';
export {
  DEFAULT_MAX_RECONNECTS,
  DEFAULT_RECONNECT_DELAY_MS,
  eventSequence,
  isResumableFailure,
  ResumableConnector,
  ResumableStream,
} from './resumable-stream.js';
// Retries and timeouts
export {
  createIdempotencyKey,
  DEFAULT_MAX_RETRIES,
  INITIAL_RETRY_DELAY_MS,
  isRetryableMethod,
  isRetryableStatus,
  MAX_RETRY_DELAY_MS,
  retryDelay,
  sleep,
} from './retry.js';
export type {
  RouteBody,
  RouteEvent,
  RouteOf,
  RouteParams,
  RouteQuery,
  RouteResult,
  RouteSocket,
} from './route-types.js';
// Streams
export type {
  SSEDecoder,
  SSEMessage,
  SSEStreamInit,
  StreamConstructorInit,
  StreamInit,
  StreamSource,
  UnknownSSEEvent,
} from './stream.js';
export { Stream } from './stream.js';
export {
  DEFAULT_IDLE_TIMEOUT_MS,
  DEFAULT_TIMEOUT_MS,
  DEFAULT_TOTAL_TIMEOUT_MS,
} from './timeouts.js';
export type { ToFileOptions, Uploadable, UploadProgress } from './uploads.js';
export { progressBody, requestWhenReady, toFile } from './uploads.js';
