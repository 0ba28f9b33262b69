/** @module The messages between the sandbox pool and its workers. */

import type { SandboxFailure, SandboxResult } from '@cartrita/engine';
import type { QuickJsOptions } from '@cartrita/engine/quickjs';

/** What a worker is started with. */
export interface WorkerSetup {
  quickjs: QuickJsOptions;
}

/** From the pool to a worker. */
export type ToWorker =
  | {
      type: 'run';
      id: number;
      code: string;
      input: unknown;
      timeoutMs: number;
      /** Whether the call may `emit` (the pool answers each one with a `reply`). */
      emit: boolean;
      fetchAllowlist?: readonly string[];
    }
  | { type: 'check'; id: number; code: string }
  | { type: 'reply'; replyId: number; error?: string };

/** From a worker to the pool. */
export type FromWorker =
  | { type: 'ready' }
  | { type: 'result'; id: number; result: SandboxResult }
  | { type: 'checked'; id: number; failure: SandboxFailure | null }
  | { type: 'log'; id: number; level: 'debug' | 'info' | 'warn' | 'error'; message: string; data?: unknown }
  | { type: 'emit'; id: number; replyId: number; eventType: string; data: unknown };
