/** @module @cartrita/contracts: zod schemas and the route table for every Cartrita route. */

// Errors, ids, times
export * from './envelope.js';
export * from './ids.js';
