/**
 * @module Computer-use runs: a bounded loop of model turns whose actions the caller executes. Each
 * turn is recorded before it is answered; a run ends on the model's words, its step limit, its
 * deadline, a cancel or a failure.
 */
import type {
  ComputerUseContinueRequest,
  ComputerUseExecuteRequest,
  ComputerUseRun,
  ComputerUseRunDetail,
  ComputerUseStatus,
  ComputerUseStep,
} from '@cartrita/contracts';
import type { Clock } from '../clock.js';
import { HttpError, isHttpError } from '../errors.js';
import { newId } from '../ids.js';
import type { ComputerUseModel, ComputerUseTurnRequest } from './model.js';
import type { ComputerUseRunStore, StoredComputerUseRun } from './repositories.js';

/** The server's bounds on every run; a request may ask for less. */
export interface ComputerUseLimits {
  /** The model used. */
  model: string;
  /** The most model turns of a run. */
  maxSteps: number;
  /** The longest a run may last, in milliseconds. */
  timeoutMs: number;
}

/** What {@link ComputerUseService} is built over. */
export interface ComputerUseServiceOptions {
  runs: ComputerUseRunStore;
  /** The model; without one, starting a run is a 503 `PROVIDER_NOT_CONFIGURED`. */
  model?: ComputerUseModel;
  limits: ComputerUseLimits;
  clock: Clock;
}

/** The default bounds: 30 turns, 10 minutes, OpenAI's `computer-use-preview`. */
export const defaultComputerUseLimits: ComputerUseLimits = {
  model: 'computer-use-preview',
  maxSteps: 30,
  timeoutMs: 600_000,
};

/** How long after its deadline a run still `running` is taken for abandoned (its own timer fires first). */
const expiryGraceMs = 5_000;

/** Why a turn was stopped from here. */
class Stopped extends Error {
  constructor(readonly status: 'cancelled' | 'timed_out') {
    super(status);
  }
}

/** The public view of a stored run: the pending call's actions on top. */
export const toComputerUseRun = ({
  user_id: _user,
  last_response_id: _response,
  steps: _steps,
  ...run
}: StoredComputerUseRun): ComputerUseRun => ({ ...run, actions: run.pending_call?.actions ?? [] });

/** Computer-use runs of each user. */
export class ComputerUseService {
  readonly #options: ComputerUseServiceOptions;
  /** The turns under way in this process, so a cancel can abort them. */
  readonly #running = new Map<string, AbortController>();

  constructor(options: ComputerUseServiceOptions) {
    this.#options = options;
  }

  /** Starts a run and takes its first turn. */
  async execute(request: ComputerUseExecuteRequest, userId: string): Promise<ComputerUseRun> {
    const model = this.#model();
    const { limits, clock } = this.#options;
    const now = clock.now();
    const timeoutMs = Math.min(
      limits.timeoutMs,
      (request.timeout_seconds ?? Number.POSITIVE_INFINITY) * 1000,
    );
    const run = await this.#options.runs.create({
      id: newId('computerUseRun', 8),
      user_id: userId,
      status: 'running',
      task: request.task,
      environment: request.environment,
      model: limits.model,
      pending_call: null,
      output: '',
      error: null,
      steps_taken: 0,
      max_steps: Math.min(limits.maxSteps, request.max_steps ?? limits.maxSteps),
      expires_at: new Date(now.getTime() + timeoutMs).toISOString(),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
      last_response_id: null,
      steps: [],
    });
    const start = { task: request.task, ...(request.screenshot ? { screenshot: request.screenshot } : {}) };
    return this.#turn(model, run, { start }, null);
  }

  /** Answers the pending call with the screen after its actions, and takes the next turn. */
  async continue(id: string, request: ComputerUseContinueRequest, userId: string): Promise<ComputerUseRun> {
    const model = this.#model();
    const run = await this.#stored(id, userId);
    if (run.status !== 'awaiting_action' || !run.pending_call || !run.last_response_id) {
      throw HttpError.conflict(`The computer-use run ${id} is ${run.status}; it takes no further step.`, {
        status: run.status,
      });
    }
    if (this.#options.clock.now().getTime() > Date.parse(run.expires_at)) {
      return this.#end(run, 'timed_out', 'awaiting_action');
    }
    const pending = run.pending_call;
    if (request.call_id !== pending.call_id) {
      throw HttpError.conflict(`The run waits for the call ${pending.call_id}, not ${request.call_id}.`, {
        pending_call_id: pending.call_id,
      });
    }
    const acknowledged = new Set(request.acknowledged_safety_checks ?? []);
    const missing = pending.pending_safety_checks.filter((check) => !acknowledged.has(check.id));
    if (missing.length > 0) {
      throw HttpError.validation(
        missing.map((check) => ({
          path: 'acknowledged_safety_checks',
          message:
            `Safety check ${check.id} (${check.code ?? 'unspecified'}) must be acknowledged: ${check.message ?? ''}`.trim(),
        })),
        'The pending call has safety checks the caller has not acknowledged',
      );
    }
    if (!(await this.#options.runs.replace({ ...run, status: 'running' }, 'awaiting_action'))) {
      throw HttpError.conflict(`The computer-use run ${id} changed meanwhile; read it and try again.`);
    }
    const answered: NonNullable<ComputerUseStep['answered']> = {
      call_id: pending.call_id,
      current_url: request.current_url ?? null,
      acknowledged_safety_checks: [...acknowledged],
      screenshot_bytes: screenshotBytes(request.screenshot),
    };
    const answer = {
      previousResponseId: run.last_response_id,
      callId: pending.call_id,
      screenshot: request.screenshot,
      ...(request.current_url ? { currentUrl: request.current_url } : {}),
      acknowledged: pending.pending_safety_checks,
    };
    return this.#turn(model, { ...run, status: 'running' }, { answer }, answered);
  }

  /** A run with its steps (a run past its deadline that nobody ended is ended `timed_out` now). */
  async get(id: string, userId: string): Promise<ComputerUseRunDetail> {
    const run = await this.#expired(await this.#stored(id, userId));
    return { ...toComputerUseRun(run), steps: run.steps };
  }

  /** Ends a run that is not over, aborting a turn under way here; a run already over is answered as it is. */
  async cancel(id: string, userId: string): Promise<ComputerUseRun> {
    for (;;) {
      const run = await this.#stored(id, userId);
      if (run.status !== 'awaiting_action' && run.status !== 'running') return toComputerUseRun(run);
      const ended = { ...run, status: 'cancelled' as const, pending_call: null, updated_at: this.#now() };
      if (await this.#options.runs.replace(ended, run.status)) {
        this.#running.get(id)?.abort(new Stopped('cancelled'));
        return toComputerUseRun(ended);
      }
    }
  }

  #model(): ComputerUseModel {
    const { model } = this.#options;
    if (!model) {
      throw new HttpError(
        'PROVIDER_NOT_CONFIGURED',
        'Computer use is not configured on this server: it runs on OpenAI, so set OPENAI_API_KEY.',
        { details: { provider: 'openai' } },
      );
    }
    return model;
  }

  /**
   * Ends a run that is still open past its deadline plus a grace for the turn's own timer: what a
   * server that stopped mid-turn leaves behind.
   */
  async #expired(run: StoredComputerUseRun): Promise<StoredComputerUseRun> {
    const open = run.status === 'awaiting_action' || run.status === 'running';
    const due = Date.parse(run.expires_at) + expiryGraceMs < this.#options.clock.now().getTime();
    if (!open || !due) return run;
    const ended = { ...run, status: 'timed_out' as const, pending_call: null, updated_at: this.#now() };
    if (await this.#options.runs.replace(ended, run.status)) return ended;
    return this.#stored(run.id, run.user_id);
  }

  async #stored(id: string, userId: string): Promise<StoredComputerUseRun> {
    const run = await this.#options.runs.get(id, userId);
    if (!run) throw HttpError.notFound('computer-use run', id);
    return run;
  }

  #now(): string {
    return this.#options.clock.now().toISOString();
  }

  /** Ends a run with a final status, unless another change came first (then the stored run is answered). */
  async #end(
    run: StoredComputerUseRun,
    status: ComputerUseStatus,
    from: ComputerUseStatus,
    error: StoredComputerUseRun['error'] = null,
  ): Promise<ComputerUseRun> {
    const ended = { ...run, status, pending_call: null, error, updated_at: this.#now() };
    if (await this.#options.runs.replace(ended, from)) return toComputerUseRun(ended);
    return toComputerUseRun(await this.#stored(run.id, run.user_id));
  }

  /**
   * Takes one model turn of a `running` run and records it. The turn is bounded by the run's deadline
   * and aborted by a cancel; it is not tied to the caller's connection, so a caller that goes away
   * finds the turn recorded when it reads the run.
   */
  async #turn(
    model: ComputerUseModel,
    run: StoredComputerUseRun,
    input: Pick<ComputerUseTurnRequest, 'start' | 'answer'>,
    answered: ComputerUseStep['answered'],
  ): Promise<ComputerUseRun> {
    const controller = new AbortController();
    const remainingMs = Date.parse(run.expires_at) - this.#options.clock.now().getTime();
    const deadline = setTimeout(() => controller.abort(new Stopped('timed_out')), Math.max(0, remainingMs));
    this.#running.set(run.id, controller);
    try {
      const turn = await model.turn({
        model: run.model,
        environment: run.environment,
        ...input,
        signal: controller.signal,
      });
      const index = run.steps_taken + 1;
      const step: ComputerUseStep = {
        index,
        calls: turn.calls,
        output: turn.output,
        answered,
        created_at: this.#now(),
      };
      const status: ComputerUseStatus =
        turn.calls.length === 0
          ? 'completed'
          : index >= run.max_steps
            ? 'step_limit_reached'
            : 'awaiting_action';
      const next: StoredComputerUseRun = {
        ...run,
        status,
        pending_call: status === 'awaiting_action' ? (turn.calls[0] ?? null) : null,
        output: [run.output, turn.output].filter((text) => text !== '').join('\n\n'),
        steps_taken: index,
        steps: [...run.steps, step],
        last_response_id: turn.responseId,
        updated_at: this.#now(),
      };
      if (await this.#options.runs.replace(next, 'running')) return toComputerUseRun(next);
      // Cancelled while the model was thinking: the cancel stands.
      return toComputerUseRun(await this.#stored(run.id, run.user_id));
    } catch (error) {
      const reason = controller.signal.reason;
      if (controller.signal.aborted && reason instanceof Stopped) {
        if (reason.status === 'cancelled') return toComputerUseRun(await this.#stored(run.id, run.user_id));
        return this.#end(run, 'timed_out', 'running');
      }
      if (isHttpError(error) && run.pending_call) {
        // A turn that failed upstream (a 429, a 502) can be tried again: the run waits as before.
        await this.#options.runs.replace({ ...run, status: 'awaiting_action' }, 'running');
        throw error;
      }
      const failure = isHttpError(error)
        ? { code: error.code, message: error.message }
        : { code: 'INTERNAL_ERROR', message: 'The computer-use turn failed.' };
      await this.#end(run, 'failed', 'running', failure);
      throw error;
    } finally {
      clearTimeout(deadline);
      this.#running.delete(run.id);
    }
  }
}

/** The size of a base64 `data:` URL's image in bytes. */
const screenshotBytes = (dataUrl: string): number => {
  const base64 = dataUrl.slice(dataUrl.indexOf(',') + 1);
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
};
