/** @module The chat doors' shared service: replies that run detached, logged frame by frame, resumable. */
import type { ChatStreamFrame, FileSource } from '@cartrita/contracts';
import type { ChatExchange } from '../chatkit/deps.js';
import type { ChatKitProcessor } from '../chatkit/processor.js';
import type { ChatKitRepositories } from '../chatkit/repositories.js';
import type { TurnInput } from '../chatkit/turns.js';
import { HttpError } from '../errors.js';
import type { EventBus } from '../events.js';
import { sourcesPrompt } from '../files/sources.js';
import { newId, now } from '../ids.js';
import type { EngineLogger } from '../logger.js';
import { TurnUpdates } from '../studio/turn-updates.js';
import { FrameMapper } from './frames.js';
import { LiveResponse, type SequencedFrame } from './live-response.js';
import type { ReplySlots } from './reply-slots.js';
import type { ChatRepositories } from './repositories.js';

/** Options of {@link ChatService}. */
export interface ChatServiceOptions {
  processor: ChatKitProcessor;
  /** Where replies and their frames are logged, and where an interrupted reply's text is saved. */
  store: ChatRepositories & Pick<ChatKitRepositories, 'items'>;
  logger: EngineLogger;
  /** How long a reply runs on with nobody listening before it is cancelled. Default 120 s. */
  resumeGraceMs?: number;
  /** Finds the passages of a user's files a file-aware reply draws on, best first. */
  findSources?: (userId: string, text: string, fileIds: readonly string[]) => Promise<FileSource[]>;
  /** Where each turn's live updates go (seed 004's `WS /ws/{client_id}`); none when absent. */
  bus?: EventBus;
  /** What the other areas add around a turn: its defaults, and what happens once it completed. */
  hooks?: ChatTurnHooks;
  /** The replies that may run at once; past them, `start` throws a 503 before the turn begins. */
  slots?: ReplySlots;
  /** What an `agent` of a request stands for (see `AgentService.resolve`); without it `agent` is refused. */
  resolveAgent?: (agentId: string, userId: string) => Promise<AgentChoice>;
}

/** What an agent picks for a turn: a persona, or a provider and its model. */
export interface AgentChoice {
  provider?: string;
  model?: string;
  personaId?: string;
}

/** What the other areas add around a chat turn (the `orchestrator` and `memory` sections). */
export interface ChatTurnHooks {
  /** The provider and model of a turn that names neither, and how long a reply may run. */
  defaults?(): { provider?: string; model?: string; timeoutMs?: number };
  /**
   * The `planner` section: whether a turn's plan is published (`plan_graph_update`), how many steps a
   * turn may take before it answers, and how long those steps may run before the first text.
   */
  planner?(): { enabled: boolean; maxSteps: number; timeoutMs: number };
  /** Called with every exchange that completed, before the reply's stream ends. */
  onExchange?(exchange: ChatExchange): Promise<unknown>;
}

/** A chat request of any door. */
export interface ChatTurnRequest extends TurnInput {
  userId: string;
  /** The server's public origin (for attachment links). */
  baseUrl: string;
  /** Seed 004's doors call the conversation `session_id`. */
  sessionAlias?: boolean;
  /** Files of the user's the reply may draw on: their best passages go to the provider, and `done` names them. */
  fileIds?: readonly string[];
  /** An agent of `GET /api/agents`; the provider, model and persona the request names win over it. */
  agent?: string;
}

/** Where a resumed stream picks up. */
export interface ResumePoint {
  responseId: string;
  afterSeq: number;
}

/** A source of frames for one connection: live, replayed from the log, or both. */
export interface FrameSubscription {
  responseId: string;
  /** Calls `onFrame` for each frame after the resume point, then `onEnd`; returns a function that stops. */
  listen(onFrame: (frame: SequencedFrame) => void, onEnd: () => void): () => void;
}

/** Lets `limit` callers in at once; the others wait their turn, first come first served. */
class StartGate {
  readonly #limit: number;
  readonly #waiting: (() => void)[] = [];
  #inside = 0;

  constructor(limit: number) {
    this.#limit = limit;
  }

  async enter(): Promise<void> {
    if (this.#inside < this.#limit) {
      this.#inside++;
      return;
    }
    // The one leaving hands its place over, so the count stays as it is.
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
  }

  leave(): void {
    const next = this.#waiting.shift();
    // The next one starts in a later turn of the event loop: handing over at once would run a burst of
    // starts as one chain of promise callbacks, and no request (not even `/health`) is read meanwhile.
    if (next) afterEvents(next);
    else this.#inside--;
  }
}

/** Runs `callback` once the events waiting now were handled (`setImmediate` where there is one). */
const afterEvents = (callback: () => void): void => {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  if (immediate) immediate(callback);
  else setTimeout(callback, 0);
};

/** Parses `Last-Event-ID: resp_…:17`. */
export const parseLastEventId = (value: string | undefined): ResumePoint | undefined => {
  const match = value ? /^(resp_[0-9a-f]{8,32}):(\d{1,9})$/.exec(value.trim()) : null;
  return match ? { responseId: match[1]!, afterSeq: Number(match[2]) } : undefined;
};

/**
 * The chat engine behind `/api/chat`, `/chat/` and `/ws/chat`: it runs a turn detached from the
 * connection that asked for it, keeps its frames in a durable log, and lets any connection of the same
 * user follow it from any frame, live or after a restart.
 */
export class ChatService {
  readonly #options: Omit<ChatServiceOptions, 'resumeGraceMs' | 'findSources'> &
    Required<Pick<ChatServiceOptions, 'resumeGraceMs' | 'findSources'>>;
  readonly #live = new Map<string, LiveResponse>();
  readonly #controllers = new Map<string, AbortController>();
  /** Every reply's run, until it has saved and filed everything. */
  readonly #runs = new Set<Promise<void>>();
  /**
   * Turns being started (history read, thread and messages written) at once. A burst of thousands
   * of requests then starts them a few dozen at a time instead of all interleaved, so each one
   * reaches its first frame sooner and the event loop stays free for other requests.
   */
  readonly #starting = new StartGate(32);

  constructor(options: ChatServiceOptions) {
    this.#options = { resumeGraceMs: 120_000, findSources: async () => [], ...options };
  }

  /** The request with what its agent picks, where the request itself names nothing. */
  async #withAgent(request: ChatTurnRequest, agentId: string): Promise<ChatTurnRequest> {
    if (!this.#options.resolveAgent) {
      throw new HttpError('NOT_FOUND', `No agent is named ${agentId} here.`, { details: { agent: agentId } });
    }
    const choice = await this.#options.resolveAgent(agentId, request.userId);
    const named = request.provider !== undefined || request.model !== undefined;
    return {
      ...request,
      ...(!named && choice.provider ? { provider: choice.provider } : {}),
      ...(!named && choice.model ? { model: choice.model } : {}),
      ...(request.personaId === undefined && choice.personaId ? { personaId: choice.personaId } : {}),
    };
  }

  /** Replies running in this process. */
  get running(): number {
    return this.#live.size;
  }

  /**
   * Starts a reply and returns it once its turn is under way. The turn runs until it ends, is cancelled,
   * or nobody listens for the grace period.
   */
  async start(request: ChatTurnRequest): Promise<LiveResponse> {
    const release = this.#options.slots?.acquire(request.userId) ?? (() => {});
    try {
      await this.#starting.enter();
      try {
        return await this.#start(request, release);
      } finally {
        this.#starting.leave();
      }
    } catch (error) {
      release();
      throw error;
    }
  }

  async #start(request: ChatTurnRequest, release: () => void): Promise<LiveResponse> {
    const { processor, store, logger, hooks } = this.#options;
    const controller = new AbortController();
    if (request.agent !== undefined) request = await this.#withAgent(request, request.agent);
    const defaults = hooks?.defaults?.() ?? {};
    if (request.provider === undefined && request.model === undefined) {
      request = {
        ...request,
        ...(defaults.provider ? { provider: defaults.provider } : {}),
        ...(defaults.model ? { model: defaults.model } : {}),
      };
    }
    const sources =
      request.fileIds && request.fileIds.length > 0
        ? await this.#options.findSources(request.userId, request.text, request.fileIds)
        : [];
    const turn = await processor.startTurn(
      sources.length > 0 ? { ...request, context: sourcesPrompt(sources) } : request,
      {
        userId: request.userId,
        baseUrl: request.baseUrl,
        signal: controller.signal,
      },
    );
    const responseId = newId('response', 8);
    await store.responses.create({
      id: responseId,
      user_id: request.userId,
      thread_id: turn.thread.id,
      message_id: turn.messageId,
    });
    const live = new LiveResponse({
      id: responseId,
      userId: request.userId,
      threadId: turn.thread.id,
      messageId: turn.messageId,
      graceMs: this.#options.resumeGraceMs,
      onPersistError: (error) => logger.error({ err: error, responseId }, 'Could not log a reply frame'),
      persist: (frames) => store.responses.appendFrames(responseId, frames),
      cancel: (reason) => controller.abort(new Error(reason)),
    });
    this.#live.set(responseId, live);
    this.#controllers.set(responseId, controller);

    const timeout =
      defaults.timeoutMs === undefined
        ? undefined
        : setTimeout(
            () => controller.abort(new Error('The reply ran past its time limit.')),
            defaults.timeoutMs,
          );
    (timeout as { unref?: () => void } | undefined)?.unref?.();
    // The `planner` section, when it is on: the steps a turn takes before it answers (tools, searches)
    // are its plan; there may be `maxSteps` of them, and they must end within `timeoutMs` of the first.
    const planner = hooks?.planner?.();
    const limits = planner?.enabled ? planner : undefined;
    let planTimeout: ReturnType<typeof setTimeout> | undefined;
    let steps = 0;
    const updates = this.#options.bus
      ? new TurnUpdates({
          bus: this.#options.bus,
          logger,
          userId: request.userId,
          sessionId: turn.thread.id,
          responseId,
          provider: turn.stats.provider,
          model: turn.stats.model,
          publishPlan: planner?.enabled ?? true,
        })
      : undefined;
    const run = async () => {
      let status: 'complete' | 'cancelled' | 'failed' = 'complete';
      let failure: string | undefined;
      let reply: string | undefined;
      const frames = new FrameMapper({
        responseId,
        turn,
        sessionAlias: request.sessionAlias ?? false,
        signal: controller.signal,
        sources,
      });
      try {
        const take = (frame: ChatStreamFrame | undefined) => {
          if (!frame) return;
          if (frame.type === 'error') {
            status = 'failed';
            failure = frame.message;
          }
          if (frame.type === 'done') reply = frame.response;
          if (frame.type === 'chunk') clearTimeout(planTimeout);
          if (frame.type === 'progress' && limits) {
            steps += 1;
            if (steps > limits.maxSteps) {
              // The step past the limit is not shown: the turn stops before it.
              controller.abort(new Error(`The turn took more than the planner's ${limits.maxSteps} steps.`));
              return;
            }
            if (steps === 1) {
              planTimeout = setTimeout(
                () =>
                  controller.abort(
                    new Error(
                      `The turn's steps ran past the planner's limit of ${limits.timeoutMs / 1000} s.`,
                    ),
                  ),
                limits.timeoutMs,
              );
              (planTimeout as { unref?: () => void }).unref?.();
            }
          }
          live.push(frame);
          updates?.frame(frame);
        };
        take(frames.start());
        for await (const event of turn.events) take(frames.map(event));
        take(frames.end());
        if (controller.signal.aborted) status = 'cancelled';
        if (status === 'complete' && reply !== undefined && hooks?.onExchange) {
          await hooks
            .onExchange({
              userId: request.userId,
              threadId: turn.thread.id,
              messageId: turn.messageId,
              userMessage: request.text,
              reply,
            })
            .catch((error: unknown) =>
              logger.error({ err: error, responseId }, 'Keeping a chat exchange failed'),
            );
        }
        if (status === 'complete' && reply !== undefined) {
          // Stages 4–5: the reply is complete and `done` sent; a cancel from now on stops the modules.
          const modules = await turn.afterReply(reply, controller.signal);
          if (modules.length > 0) {
            const frame: ChatStreamFrame = { type: 'post_response', message_id: turn.messageId, modules };
            live.push(frame);
            updates?.frame(frame);
          }
        }
      } catch (error) {
        status = 'failed';
        failure = 'The reply failed';
        logger.error({ err: error, responseId }, 'A chat reply failed');
        live.push({
          type: 'error',
          code: 'INTERNAL_ERROR',
          message: 'The reply failed. Try again.',
          retryable: true,
        });
      } finally {
        updates?.end(status === 'complete' ? 'completed' : status, frames.text, turn.stats.usage, failure);
        clearTimeout(timeout);
        clearTimeout(planTimeout);
        live.failure = turn.stats.error;
        await live.end();
        release();
        await store.responses
          .finish(responseId, status, live.log)
          .catch((error: unknown) => logger.error({ err: error, responseId }, 'Could not file a reply log'));
        this.#live.delete(responseId);
        this.#controllers.delete(responseId);
      }
    };
    const running = run();
    this.#runs.add(running);
    void running.finally(() => this.#runs.delete(running));
    return live;
  }

  /**
   * Cancels a running reply of the user: the provider call is aborted at once and the partial text
   * saved. Resolves `false` when the reply is not running here.
   */
  cancel(responseId: string, userId: string): boolean {
    const live = this.#live.get(responseId);
    if (!live || live.userId !== userId || live.ending) return false;
    this.#controllers.get(responseId)?.abort(new Error('Cancelled by the client.'));
    return true;
  }

  /** Whether a reply of the user is running here. */
  isRunning(responseId: string, userId: string): boolean {
    const live = this.#live.get(responseId);
    return live !== undefined && live.userId === userId;
  }

  /**
   * Follows a reply from a resume point: live when it runs in this process, else from the durable log.
   * Another user's reply, or an unknown one, is a 404.
   */
  async subscribe(point: ResumePoint, userId: string): Promise<FrameSubscription> {
    const live = this.#live.get(point.responseId);
    if (live) {
      if (live.userId !== userId) throw HttpError.notFound('response', point.responseId);
      return {
        responseId: live.id,
        listen: (onFrame, onEnd) =>
          live.listen(point.afterSeq, (frame) => (frame === 'end' ? onEnd() : onFrame(frame))),
      };
    }
    const stored = await this.#options.store.responses.get(point.responseId, userId);
    if (!stored) throw HttpError.notFound('response', point.responseId);
    const frames = await this.#options.store.responses.frames(point.responseId, point.afterSeq);
    return {
      responseId: stored.id,
      listen: (onFrame, onEnd) => {
        let stopped = false;
        queueMicrotask(() => {
          for (const { seq, data } of frames) {
            if (stopped) return;
            onFrame({ seq, data, frame: JSON.parse(data) as ChatStreamFrame });
          }
          if (!stopped) onEnd();
        });
        return () => {
          stopped = true;
        };
      },
    };
  }

  /**
   * Closes the books on replies a previous process left running (it was killed or crashed): the text
   * their log holds is saved as the assistant's message, with a hidden note that it is incomplete, and
   * the log ends with an `incomplete` frame. Returns how many were recovered.
   */
  async recoverInterrupted(): Promise<number> {
    const { store, logger } = this.#options;
    const running = await store.responses.listRunning();
    for (const response of running) {
      if (this.#live.has(response.id)) continue;
      const frames = await store.responses.frames(response.id, 0);
      const text = frames
        .map(({ data }) => JSON.parse(data) as ChatStreamFrame)
        .map((frame) => (frame.type === 'chunk' ? frame.content : ''))
        .join('');
      const existing = await store.items.get(response.thread_id, response.message_id);
      if (!existing && text.length > 0) {
        await store.items.save(response.thread_id, {
          id: response.message_id,
          thread_id: response.thread_id,
          created_at: now(),
          type: 'assistant_message',
          content: [{ type: 'output_text', text, annotations: [] }],
        });
      }
      await store.items.save(response.thread_id, {
        id: newId('hiddenContext'),
        thread_id: response.thread_id,
        created_at: now(),
        type: 'sdk_hidden_context',
        content: 'The server stopped while writing the last assistant message; it is incomplete.',
      });
      const last = frames.at(-1)?.seq ?? 0;
      const incomplete: ChatStreamFrame = {
        type: 'incomplete',
        message_id: response.message_id,
        reason: 'server_restarted',
      };
      const closing = { seq: last + 1, data: JSON.stringify(incomplete) };
      await store.responses.appendFrames(response.id, [closing]);
      await store.responses.finish(response.id, 'incomplete', [...frames, closing]);
      logger.warn({ responseId: response.id }, 'Recovered a reply interrupted by a restart');
    }
    return running.length;
  }

  /** Cancels every running reply and waits for them to save: for shutdown. */
  async stopAll(): Promise<void> {
    for (const controller of this.#controllers.values())
      controller.abort(new Error('The server is stopping.'));
    // Each run ends once its reply is saved, its log filed and its status recorded: the store may
    // close after that, not before.
    await Promise.all([...this.#runs]);
  }
}
