/** @module The server's sandbox for user code: QuickJS in a pool of worker threads. */
export { createSandboxPool, type SandboxPoolOptions } from './pool.js';
