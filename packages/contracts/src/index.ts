/** @module @cartrita/contracts: zod schemas and the route table for every Cartrita route. */

// Areas: each one's schemas and routes
export * from './areas/chat/index.js';
export * from './areas/chatkit/index.js';
export * from './areas/system/index.js';
// Errors, ids, times
export * from './envelope.js';
export * from './ids.js';
export * from './openapi.js';
// The route table
export * from './route.js';
export * from './route-types.js';
// Who may call what
export * from './scopes.js';
export * from './table.js';
