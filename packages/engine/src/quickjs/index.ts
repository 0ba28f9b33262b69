/**
 * @module @cartrita/engine/quickjs: user code in QuickJS compiled to WebAssembly. An in-thread sandbox
 * for browsers, the mocks and tests, and the runner the server's worker pool uses in each worker.
 */

export {
  BrokenModuleError,
  defaultQuickJsLimits,
  parseGuestJson,
  type QuickJsLimits,
} from './call.js';
export { looksLikePython } from './language.js';
export { maxCodeChars, type QuickJsOptions, QuickJsRunner } from './runner.js';
export { createQuickJsSandbox, type QuickJsSandboxOptions } from './sandbox.js';
