/**
 * @module @cartrita/msw: MSW handlers for every Cartrita route, running the reference server's own
 * engine over memory, with scripted replies and fault scenarios.
 */

// Expected failures: throw the engine's HttpError from a mock
export { HttpError } from '@cartrita/engine';
// Handlers: every route, one route at a time, and each area's mocks to copy into your own handlers
export * from './handlers.js';
// Writing a route mock
export type {
  HandlerEnvironment,
  MockBodyOf,
  RouteContext,
  RouteImplementation,
  RouteImplementations,
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
// The scripted assistant
export type {
  Reply,
  ReplyPart,
  ReplyScript,
  Responder,
  ResponderContext,
  ScriptedProvider,
} from './scripted.js';
export { createScriptedProvider } from './scripted.js';
// The mock's state
export type { CartritaStore, MockApiKey, StoreOptions } from './state.js';
export { createStore } from './state.js';
// The wire: the checks every answer of the mock passes
export {
  assertNoNulls,
  assertWire,
  errorResponse,
  MockContractError,
  sseFrame,
} from './wire.js';
