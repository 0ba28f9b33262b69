/**
 * @module The server's sandbox: QuickJS in a pool of worker threads. A call waits in a queue that serves
 * sessions in turn, runs in a free worker under QuickJS's own deadline (the soft one), and if the
 * worker does not answer soon after, the worker is terminated (the hard deadline) and replaced.
 */
import { Worker } from 'node:worker_threads';
import {
  FairQueue,
  type Sandbox,
  type SandboxFailure,
  type SandboxHost,
  type SandboxRequest,
  type SandboxResult,
  type SandboxStats,
  sandboxFailure,
} from '@cartrita/engine';
import { defaultQuickJsLimits, type QuickJsOptions } from '@cartrita/engine/quickjs';
import type { Logger } from '../logger.js';
import type { FromWorker, ToWorker, WorkerSetup } from './protocol.js';

/** How the pool runs. */
export interface SandboxPoolOptions extends QuickJsOptions {
  /** Worker threads, started as calls need them. 2 by default. */
  workers?: number;
  /** Most calls waiting in all; past it a call fails as `busy`. 1000 by default. */
  queueLimit?: number;
  /** Most calls one session may have waiting. 100 by default. */
  queueLimitPerOwner?: number;
  /** How long past its deadline a worker may take to answer before it is terminated. 250 ms by default. */
  hardDeadlineGraceMs?: number;
  logger?: Logger;
}

/** How long after a cancel stopped a worker its replacement starts, in milliseconds. */
const replacementDelayMs = 100;

/** How long checking code may take in a worker, in milliseconds, its soft deadline included. */
const checkDeadlineMs = 1_000;

// From sources (tests), the worker is the built one: a worker thread runs JavaScript, not TypeScript.
const workerUrl = import.meta.url.endsWith('.ts')
  ? new URL('../../dist/sandbox/worker.js', import.meta.url)
  : new URL('./worker.js', import.meta.url);

type Job =
  | {
      kind: 'run';
      owner: string;
      request: SandboxRequest;
      timeoutMs: number;
      resolve(result: SandboxResult): void;
    }
  | { kind: 'check'; owner: string; code: string; resolve(failure: SandboxFailure | undefined): void };

interface Slot {
  worker: Worker;
  ready: boolean;
  job?: { id: number; job: Job; startedAt: number; hardTimer: ReturnType<typeof setTimeout> };
}

/** Creates the worker pool; workers start on first use and `close` ends them. */
export function createSandboxPool(options: SandboxPoolOptions = {}): Sandbox {
  return new SandboxPool(options);
}

class SandboxPool implements Sandbox {
  readonly #options: SandboxPoolOptions;
  readonly #size: number;
  readonly #queue: FairQueue<Job>;
  readonly #slots = new Set<Slot>();
  readonly #defaultTimeoutMs: number;
  readonly #maxTimeoutMs: number;
  #nextId = 1;
  #calls = 0;
  #totalMs = 0;
  #closed = false;

  constructor(options: SandboxPoolOptions) {
    this.#options = options;
    this.#size = Math.max(1, options.workers ?? 2);
    this.#queue = new FairQueue(options.queueLimit ?? 1000, options.queueLimitPerOwner ?? 100);
    this.#defaultTimeoutMs = options.limits?.defaultTimeoutMs ?? defaultQuickJsLimits.defaultTimeoutMs;
    this.#maxTimeoutMs = options.limits?.maxTimeoutMs ?? defaultQuickJsLimits.maxTimeoutMs;
  }

  run(request: SandboxRequest): Promise<SandboxResult> {
    const timeoutMs = Math.max(1, Math.min(request.timeoutMs ?? this.#defaultTimeoutMs, this.#maxTimeoutMs));
    const { signal } = request;
    if (signal?.aborted) return Promise.resolve(cancelled('The call was cancelled before it ran'));
    return new Promise((resolve) => {
      const owner = request.owner ?? '';
      const job: Job = {
        kind: 'run',
        owner,
        request,
        timeoutMs,
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result);
        },
      };
      // Stopping a worker (and starting another) waits for the abort's caller to finish its work.
      const onAbort = () => queueMicrotask(() => this.#cancel(job));
      signal?.addEventListener('abort', onAbort, { once: true });
      if (!this.#enqueue(job)) {
        job.resolve(
          busy(this.#closed ? 'The sandbox is closed' : 'The sandbox queue is full; try again shortly'),
        );
      }
    });
  }

  check(code: string): Promise<SandboxFailure | undefined> {
    return new Promise((resolve) => {
      if (!this.#enqueue({ kind: 'check', owner: '', code, resolve })) {
        resolve({ kind: 'busy', message: 'The sandbox is busy or closed; try again shortly' });
      }
    });
  }

  stats(): SandboxStats {
    return {
      workers: this.#slots.size,
      busy: [...this.#slots].filter((slot) => slot.job).length,
      queued: this.#queue.size,
      calls: this.#calls,
      totalMs: this.#totalMs,
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.drain()) settle(job, busy('The sandbox is closed'));
    const slots = [...this.#slots];
    this.#slots.clear();
    await Promise.all(
      slots.map(async (slot) => {
        if (slot.job) {
          clearTimeout(slot.job.hardTimer);
          settle(slot.job.job, busy('The sandbox closed while the call ran'));
        }
        await slot.worker.terminate();
      }),
    );
  }

  #enqueue(job: Job): boolean {
    if (this.#closed || !this.#queue.push(job.owner, job)) return false;
    this.#dispatch();
    return true;
  }

  /** Hands waiting calls to idle workers, starting workers up to the pool's size. */
  #dispatch(): void {
    if (this.#closed) return;
    for (const slot of this.#slots) {
      if (!slot.ready || slot.job) continue;
      const job = this.#queue.shift();
      if (!job) return;
      this.#start(slot, job);
    }
    const starting = [...this.#slots].filter((slot) => !slot.ready).length;
    if (this.#queue.size > starting && this.#slots.size < this.#size) this.#spawn();
  }

  #spawn(): void {
    const setup: WorkerSetup = {
      quickjs: {
        ...(this.#options.limits ? { limits: this.#options.limits } : {}),
        ...(this.#options.moduleMemoryBytes ? { moduleMemoryBytes: this.#options.moduleMemoryBytes } : {}),
      },
    };
    const worker = new Worker(workerUrl, {
      workerData: setup,
      // The JavaScript heap of the worker; QuickJS's own memory is the capped WebAssembly memory.
      resourceLimits: { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
      stdout: false,
      stderr: true,
    });
    const slot: Slot = { worker, ready: false };
    this.#slots.add(slot);
    // QuickJS's abort message when a call breaks its module: the pool says what happened instead.
    worker.stderr.resume();
    worker.on('message', (message: FromWorker) => this.#message(slot, message));
    worker.on('error', (error: Error & { code?: string }) => this.#lost(slot, error));
    worker.on('exit', (code) => this.#lost(slot, new Error(`The sandbox worker exited with code ${code}`)));
  }

  #start(slot: Slot, job: Job): void {
    const id = this.#nextId++;
    const deadline = job.kind === 'run' ? job.timeoutMs : checkDeadlineMs;
    const hardTimer = setTimeout(
      () => this.#terminate(slot, deadline),
      deadline + (this.#options.hardDeadlineGraceMs ?? 250),
    );
    slot.job = { id, job, startedAt: performance.now(), hardTimer };
    const message: ToWorker =
      job.kind === 'check'
        ? { type: 'check', id, code: job.code }
        : {
            type: 'run',
            id,
            code: job.request.code,
            input: job.request.input,
            timeoutMs: job.timeoutMs,
            emit: job.request.host?.emit !== undefined,
            ...(job.request.host?.fetchAllowlist ? { fetchAllowlist: job.request.host.fetchAllowlist } : {}),
          };
    try {
      slot.worker.postMessage(message);
    } catch (error) {
      // The input could not be copied to the worker (it is not plain data).
      clearTimeout(hardTimer);
      slot.job = undefined;
      settle(job, {
        ok: false,
        error: {
          kind: 'runtime',
          message: `The input cannot be passed to the code: ${(error as Error).message}`,
        },
        durationMs: 0,
      });
      this.#dispatch();
    }
  }

  #message(slot: Slot, message: FromWorker): void {
    if (message.type === 'ready') {
      slot.ready = true;
      this.#dispatch();
      return;
    }
    const current = slot.job;
    if (!current || current.id !== message.id) return;
    const host: SandboxHost | undefined = current.job.kind === 'run' ? current.job.request.host : undefined;
    switch (message.type) {
      case 'log':
        host?.log?.(message.level, message.message, message.data);
        return;
      case 'emit':
        void Promise.resolve()
          .then(() => host?.emit?.(message.eventType, message.data))
          .then(
            () => this.#reply(slot, { type: 'reply', replyId: message.replyId }),
            (error: unknown) =>
              this.#reply(slot, {
                type: 'reply',
                replyId: message.replyId,
                error: error instanceof Error ? error.message : String(error),
              }),
          );
        return;
      case 'result':
        this.#finish(slot, message.result);
        return;
      case 'checked':
        this.#finish(slot, message.failure ?? undefined);
        return;
    }
  }

  #reply(slot: Slot, message: ToWorker): void {
    if (this.#slots.has(slot)) slot.worker.postMessage(message);
  }

  #finish(slot: Slot, outcome: SandboxResult | SandboxFailure | undefined): void {
    const current = slot.job;
    if (!current) return;
    clearTimeout(current.hardTimer);
    slot.job = undefined;
    if (current.job.kind === 'run') {
      const result = outcome as SandboxResult;
      this.#calls += 1;
      this.#totalMs += result.durationMs;
      current.job.resolve(result);
    } else {
      current.job.resolve(outcome as SandboxFailure | undefined);
    }
    this.#dispatch();
  }

  /**
   * A cancelled call: dropped from the queue, or its worker stopped (QuickJS cannot be interrupted
   * from outside its thread) and another started in its place.
   */
  #cancel(job: Job): void {
    if (this.#queue.remove(job.owner, job)) {
      settle(job, cancelled('The call was cancelled before it ran'));
      return;
    }
    const slot = [...this.#slots].find((candidate) => candidate.job?.job === job);
    const current = slot?.job;
    if (!slot || !current) return;
    clearTimeout(current.hardTimer);
    this.#slots.delete(slot);
    slot.job = undefined;
    void slot.worker.terminate();
    settle(
      job,
      cancelled('The call was cancelled while it ran, and its worker was stopped', current.startedAt),
    );
    this.#replaceSoon();
    this.#dispatch();
  }

  /**
   * Starts a replacement for a stopped worker shortly after, rather than on the next call or at once:
   * booting a worker (QuickJS's module compiled anew) takes a core for tens of milliseconds, and
   * at once it would compete with the cancel's answer reaching the client. A call that needs a
   * worker before then starts one itself (see `#dispatch`).
   */
  #replaceSoon(): void {
    const timer = setTimeout(() => {
      if (!this.#closed && this.#slots.size < this.#size) this.#spawn();
    }, replacementDelayMs);
    timer.unref();
  }

  /** The hard deadline: the worker did not answer in time, so it ends and another takes its place. */
  #terminate(slot: Slot, deadlineMs: number): void {
    const current = slot.job;
    this.#slots.delete(slot);
    slot.job = undefined;
    void slot.worker.terminate();
    if (current) {
      const message = `The code did not finish within ${deadlineMs} ms, and its worker was stopped`;
      this.#options.logger?.warn({ deadlineMs }, 'A sandbox worker missed its deadline and was terminated');
      settle(current.job, sandboxFailure('timeout', message, current.startedAt));
    }
    this.#dispatch();
  }

  /** A worker that died (out of memory, a crash) fails its call; another takes its place. */
  #lost(slot: Slot, error: Error & { code?: string }): void {
    if (!this.#slots.delete(slot)) return;
    if (!slot.ready) {
      // A worker that cannot start will not start on a retry either: the calls waiting fail, saying why.
      this.#options.logger?.error({ err: error }, 'A sandbox worker could not start');
      for (const job of this.#queue.drain()) {
        settle(job, sandboxFailure('runtime', `The sandbox could not start: ${error.message}`));
      }
      return;
    }
    const current = slot.job;
    slot.job = undefined;
    if (current) {
      clearTimeout(current.hardTimer);
      const outOfMemory = error.code === 'ERR_WORKER_OUT_OF_MEMORY';
      settle(current.job, {
        ok: false,
        error: {
          kind: outOfMemory ? 'memory' : 'runtime',
          message: outOfMemory
            ? 'The code used more memory than its worker may hold, and the worker was stopped'
            : `The sandbox worker stopped while running the code: ${error.message}`,
        },
        durationMs: performance.now() - current.startedAt,
      });
    } else {
      this.#options.logger?.error({ err: error }, 'A sandbox worker stopped');
    }
    this.#dispatch();
  }
}

const busy = (message: string): SandboxResult => sandboxFailure('busy', message);
const cancelled = (message: string, startedAt?: number): SandboxResult =>
  sandboxFailure('cancelled', message, startedAt);

/** Answers a job with a failure result (a check answers with the failure itself). */
function settle(job: Job, result: SandboxResult): void {
  if (job.kind === 'run') job.resolve(result);
  else job.resolve(result.ok ? undefined : result.error);
}
