/** @module An engine over memory with the in-thread QuickJS sandbox, for the personas area's tests. */
import { createQuickJsSandbox } from '../quickjs/sandbox.js';
import { testEngine } from '../sessions/test-engine.js';

/** A fresh engine over memory whose scripts run in QuickJS, with a short deadline. */
export const personaTestEngine = (timeoutMs = 1_000) =>
  testEngine({
    sandbox: createQuickJsSandbox({ limits: { defaultTimeoutMs: timeoutMs, memoryBytes: 8 * 1024 * 1024 } }),
  });
