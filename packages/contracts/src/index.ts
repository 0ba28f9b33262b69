/** @module @cartrita/contracts: zod schemas and the route table for every Cartrita route. */

// The other chat doors: JSON, resumable SSE and WebSocket
export * from './chat/index.js';
// The ChatKit protocol
export * from './chatkit/index.js';
// Errors, ids, times
export * from './envelope.js';
export * from './ids.js';
export * from './openapi.js';
// The route table
export * from './route.js';
export * from './routes/index.js';
// Who may call what
export * from './scopes.js';
