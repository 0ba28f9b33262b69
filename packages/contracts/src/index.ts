/** @module @cartrita/contracts: zod schemas and the route table for every Cartrita route. */

// Errors, ids, times
export * from './envelope.js';
export * from './ids.js';
export * from './openapi.js';
export * from './query.js';
// The route table
export * from './route.js';
export * from './route-types.js';
// Who may call what
export * from './scopes.js';
export * from './table.js';
