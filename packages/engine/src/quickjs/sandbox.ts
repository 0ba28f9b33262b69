/**
 * @module A sandbox that runs user code in this thread: for browsers, the mocks and tests. A call that
 * spins holds the thread until its deadline; the server runs the same code in a pool of workers.
 */
import {
  type Sandbox,
  type SandboxFailure,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStats,
  sandboxFailure,
} from '../sandbox.js';
import { FairQueue } from '../sandbox-queue.js';
import { type QuickJsOptions, QuickJsRunner } from './runner.js';

/** How the in-thread sandbox queues its calls. */
export interface QuickJsSandboxOptions extends QuickJsOptions {
  /** Calls running at once (their waits on timers, `emit` and `fetch` overlap). 2 by default. */
  concurrency?: number;
  /** Most calls waiting in all; past it a call fails as `busy`. 1000 by default. */
  queueLimit?: number;
  /** Most calls one owner (session) may have waiting. 100 by default. */
  queueLimitPerOwner?: number;
}

interface Waiting {
  request: SandboxRequest;
  resolve(result: SandboxResult): void;
}

/** Creates a sandbox that runs QuickJS in this thread. */
export function createQuickJsSandbox(options: QuickJsSandboxOptions = {}): Sandbox {
  const runner = new QuickJsRunner(options);
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const queue = new FairQueue<Waiting>(options.queueLimit ?? 1000, options.queueLimitPerOwner ?? 100);
  let running = 0;
  let calls = 0;
  let totalMs = 0;
  let closed = false;

  const next = (): void => {
    while (running < concurrency && !closed) {
      const waiting = queue.shift();
      if (!waiting) return;
      running += 1;
      void runner.run(waiting.request).then((result) => {
        running -= 1;
        calls += 1;
        totalMs += result.durationMs;
        waiting.resolve(result);
        next();
      });
    }
  };

  return {
    run(request: SandboxRequest): Promise<SandboxResult> {
      if (closed) return Promise.resolve(busy('The sandbox is closed'));
      return new Promise((resolve) => {
        if (!queue.push(request.owner ?? '', { request, resolve })) {
          resolve(busy('The sandbox queue is full; try again shortly'));
          return;
        }
        next();
      });
    },
    check: (code: string): Promise<SandboxFailure | undefined> => runner.check(code),
    stats: (): SandboxStats => ({ workers: concurrency, busy: running, queued: queue.size, calls, totalMs }),
    async close(): Promise<void> {
      closed = true;
      for (const waiting of queue.drain()) waiting.resolve(busy('The sandbox is closed'));
    },
  };
}

const busy = (message: string): SandboxResult => sandboxFailure('busy', message);
