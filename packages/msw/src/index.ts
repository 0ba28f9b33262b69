/** @module @cartrita/msw: MSW handlers for every Cartrita route, a stateful fake behind them, and fault scenarios. */

// Errors: throw MockHttpError from a mock; MockContractError means the fake broke the contract
export type { MockHttpErrorOptions } from './errors.js';
export { MockContractError, MockHttpError, validationError } from './errors.js';
// Handlers: createHandlers, mockRoute and the mock of each route
export * from './handlers/index.js';
// The scripted assistant
export type { Reply, ReplyPart, ReplyScript, Responder, ResponderContext } from './responder.js';
export { defaultResponder, splitDeltas, textOf, titleFrom } from './responder.js';
// Writing a route mock
export type {
  BodyOf,
  HandlerEnvironment,
  ParamsOf,
  QueryOf,
  RouteContext,
  RouteImplementation,
  RouteImplementations,
  SessionOf,
} from './route-handler.js';
export { mswPath, routeHandler } from './route-handler.js';
// Faults
export type {
  ActiveFault,
  CutStreamFault,
  Fault,
  FaultKind,
  FaultOptions,
  LatencyFault,
  NetworkErrorFault,
  Scenarios,
  StallStreamFault,
  StatusFault,
} from './scenarios.js';
export {
  createScenarios,
  cutStreamAfter,
  latency,
  networkError,
  rateLimited,
  stallStreamAfter,
  status,
} from './scenarios.js';
// The fake server's state
export type {
  AttachmentRecord,
  ChatResponseRecord,
  ChatResponseStatus,
  FeedbackRecord,
  PageQuery,
  SessionRecord,
  StoredItem,
  StoredItemInput,
  StoreOptions,
  ThreadRecord,
} from './store.js';
export { CartritaStore, createStore, paginate } from './store.js';
export { CANCELLED_CONTEXT } from './turn.js';
// The wire: the checks every answer of the fake passes
export { assertNoNulls, assertWire, errorEnvelope, sseFrame } from './wire.js';
