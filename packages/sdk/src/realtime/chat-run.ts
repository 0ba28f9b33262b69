import type { ChatStage, ChatStageStatus, ModuleRunReport, Usage } from '@cartrita/contracts';
import { StreamError } from '../core/errors.js';
import type { RouteSocket } from '../core/route-types.js';
import { RealtimeError } from './errors.js';

/** A message the client sends on `/ws/chat`: the route's client schema. */
export type WsClientMessage = RouteSocket<'chat.realtime'>['client'];

/** A message the server sends on `/ws/chat`: the route's server schema. */
export type WsServerMessage = RouteSocket<'chat.realtime'>['server'];

/** The `data` of a `chat` message: the text and where and how to answer it. */
export type RealtimeChatInput = Extract<WsClientMessage, { type: 'chat' }>['data'];

/** The server messages that belong to one chat run. */
export type ChatRunMessage = Extract<
  WsServerMessage,
  {
    type:
      | 'chat_session_start'
      | 'stage_update'
      | 'chunk'
      | 'done'
      | 'post_response_complete'
      | 'cancelled'
      | 'error';
  }
>;

/** One `stage_update` of a run: a stage of seed 003's pipeline starting or ending. */
export interface ChatStageUpdate {
  /** `prompt_resolution` (stages 1–2), `context`, `generation` (stage 3) or `post_response` (stages 4–5). */
  stage: ChatStage;
  /** `started` and `completed`, or `failed` (with `error`) when part of it failed and the run went on without it. */
  status: ChatStageStatus;
  /** What failed, when `status` is `failed`. */
  error?: string;
}

/**
 * Where a run is: `queued` (waiting for a connection), `sent` (on the wire, not started yet),
 * `running`, then `completed`, `cancelled` or `failed`.
 */
export type ChatRunStatus = 'queued' | 'sent' | 'running' | 'completed' | 'cancelled' | 'failed';

/** How a run ended, when it did not fail. */
export interface ChatRunResult {
  /** `completed`: the whole reply arrived; `cancelled`: it was stopped (the partial reply is kept). */
  status: 'completed' | 'cancelled';
  /** The chat session (`cs_…`); `undefined` when the run was cancelled before it was sent. */
  chatSessionId: string | undefined;
  /** The conversation (a ChatKit thread), when the run started. */
  conversationId: string | undefined;
  /** The assistant message, when the run started. */
  messageId: string | undefined;
  /** The reply's text: all of it, or what arrived before the cancellation. */
  text: string;
  /** The provider and model that answered, for a completed run. */
  provider?: string | undefined;
  model?: string | undefined;
  /** Token usage, for a completed run when the provider reported it. */
  usage?: Usage | undefined;
  /**
   * What the after-reply modules did (stages 4–5), from `post_response_complete`: empty when none
   * was triggered, or when the run was cancelled before they finished.
   */
  modules: ModuleRunReport[];
  /** Every stage update of the run, in order. */
  stages: ChatStageUpdate[];
}

/** How {@link RealtimeChat} drives a run. */
export interface ChatRunFeed {
  /** A server message for this run. */
  deliver(message: ChatRunMessage): void;
  /** The message went on the wire. */
  sent(): void;
  /** The run ends without a server answer: cancelled before it was sent. */
  cancelLocally(): void;
  /** The run ends with an error (the connection dropped, the client closed). */
  fail(error: unknown): void;
}

const terminal = new Set<ChatRunStatus>(['completed', 'cancelled', 'failed']);

/**
 * One chat message sent over `/ws/chat` and its answer: an async iterable of the server messages
 * of its chat session (from `chat_session_start` to `post_response_complete`, or `cancelled`),
 * plus {@link ChatRun.cancel} and a {@link ChatRun.done} promise. Iterate it once; the loop ends
 * when the run does and throws a `RealtimeError` when the server answered with `error` (or an
 * `APIConnectionError` when the connection dropped). Leaving the loop early cancels the run.
 *
 * @example
 * ```ts
 * const run = chat.send('Tell me a story');
 * for await (const message of run) {
 *   if (message.type === 'chunk') process.stdout.write(message.data.content);
 * }
 * const { status, text } = await run.done;
 * ```
 */
export class ChatRun implements AsyncIterable<ChatRunMessage> {
  /** What was sent. */
  readonly input: RealtimeChatInput;
  /**
   * Settles when the run ends: resolves with how it ended (completed or cancelled), rejects with
   * the error that ended it.
   */
  readonly done: Promise<ChatRunResult>;
  readonly #requestCancel: (run: ChatRun) => void;
  readonly #buffer: ChatRunMessage[] = [];
  #wake: (() => void) | undefined;
  #status: ChatRunStatus = 'queued';
  #failure: unknown;
  #iterated = false;
  #chatSessionId: string | undefined;
  #conversationId: string | undefined;
  #messageId: string | undefined;
  #text = '';
  #answer: Extract<WsServerMessage, { type: 'done' }>['data'] | undefined;
  #modules: ModuleRunReport[] = [];
  readonly #stages: ChatStageUpdate[] = [];
  readonly #stageListeners = new Set<(update: ChatStageUpdate) => void>();
  #resolve!: (result: ChatRunResult) => void;
  #reject!: (error: unknown) => void;

  /**
   * Made by `RealtimeChat.send`, which receives the feed through `attach`; not meant to be called
   * directly.
   */
  constructor(
    input: RealtimeChatInput,
    requestCancel: (run: ChatRun) => void,
    attach: (feed: ChatRunFeed) => void,
  ) {
    this.input = input;
    this.#requestCancel = requestCancel;
    this.done = new Promise<ChatRunResult>((resolve, reject) => {
      this.#resolve = resolve;
      this.#reject = reject;
    });
    // Callers who only iterate must not see an unhandled rejection; awaiting `done` still throws.
    this.done.catch(() => {});
    attach({
      deliver: (message) => this.#deliver(message),
      sent: () => {
        if (this.#status === 'queued') this.#status = 'sent';
      },
      cancelLocally: () => this.#settle('cancelled'),
      fail: (error) => this.#fail(error),
    });
  }

  /** Where the run is. */
  get status(): ChatRunStatus {
    return this.#status;
  }

  /** The chat session id (`cs_…`), once the server started the run. */
  get chatSessionId(): string | undefined {
    return this.#chatSessionId;
  }

  /** The conversation the reply belongs to, once the server started the run. */
  get conversationId(): string | undefined {
    return this.#conversationId;
  }

  /** The assistant message's id, once the server started the run. */
  get messageId(): string | undefined {
    return this.#messageId;
  }

  /** The reply's text so far. */
  get text(): string {
    return this.#text;
  }

  /**
   * Whether the server has sent the whole reply (`done`): from then on a cancel stops only the
   * after-reply modules.
   */
  get answered(): boolean {
    return this.#answer !== undefined;
  }

  /** The stage running now (the last one that started and has not completed), if any. */
  get stage(): ChatStage | undefined {
    const last = this.#stages.at(-1);
    return last?.status === 'started' ? last.stage : undefined;
  }

  /** Every stage update so far, in order. */
  get stages(): readonly ChatStageUpdate[] {
    return this.#stages;
  }

  /** What the after-reply modules did, once `post_response_complete` arrived. */
  get modules(): readonly ModuleRunReport[] {
    return this.#modules;
  }

  /**
   * Calls `listener` with each stage update of the run as it arrives (seed 003's pipeline:
   * `prompt_resolution`, `context`, `generation`, `post_response`, each `started` then `completed`).
   * Returns a function that stops it.
   *
   * @example
   * ```ts
   * const run = chat.send('Will it rain?');
   * run.onStage(({ stage, status }) => console.log(stage, status));
   * const { modules } = await run.done; // what the after-reply modules did
   * ```
   */
  onStage(listener: (update: ChatStageUpdate) => void): () => void {
    this.#stageListeners.add(listener);
    return () => this.#stageListeners.delete(listener);
  }

  /**
   * Stops the run: a queued one is dropped before it is sent; a running one is cancelled on the
   * server, which aborts the provider call, keeps the partial reply and answers `cancelled`. Once the
   * reply is complete (`done`), it stops the after-reply modules still running; the reply is kept.
   */
  cancel(): void {
    if (terminal.has(this.#status)) return;
    this.#requestCancel(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<ChatRunMessage> {
    if (this.#iterated)
      throw new StreamError('A chat run can be iterated only once', { method: 'GET', path: '/ws/chat' });
    this.#iterated = true;
    return {
      next: async (): Promise<IteratorResult<ChatRunMessage>> => {
        for (;;) {
          const message = this.#buffer.shift();
          if (message) return { done: false, value: message };
          if (this.#status === 'failed') throw this.#failure;
          if (terminal.has(this.#status)) return { done: true, value: undefined };
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
          });
        }
      },
      return: async (): Promise<IteratorResult<ChatRunMessage>> => {
        this.#buffer.length = 0;
        this.cancel();
        return { done: true, value: undefined };
      },
    };
  }

  #deliver(message: ChatRunMessage): void {
    if (terminal.has(this.#status)) return;
    this.#buffer.push(message);
    switch (message.type) {
      case 'chat_session_start':
        this.#status = 'running';
        this.#chatSessionId = message.data.chat_session_id;
        this.#conversationId = message.data.conversation_id;
        this.#messageId = message.data.message_id;
        break;
      case 'chunk':
        this.#text += message.data.content;
        break;
      case 'done':
        this.#answer = message.data;
        this.#text = message.data.response;
        break;
      case 'stage_update': {
        const { stage, status, error } = message.data;
        const update: ChatStageUpdate = { stage, status, ...(error === undefined ? {} : { error }) };
        this.#stages.push(update);
        for (const listener of [...this.#stageListeners]) {
          try {
            listener(update);
          } catch (error) {
            // A listener's bug must not break the run; report it as the platform reports them.
            queueMicrotask(() => {
              throw error;
            });
          }
        }
        break;
      }
      case 'post_response_complete':
        this.#modules = message.data.modules ?? [];
        this.#settle('completed');
        break;
      case 'cancelled':
        this.#chatSessionId ??= message.data.chat_session_id;
        this.#messageId ??= message.data.message_id;
        this.#settle('cancelled');
        break;
      case 'error': {
        this.#chatSessionId ??= message.data.chat_session_id;
        // The error is the run's outcome, thrown by the loop rather than yielded.
        this.#buffer.pop();
        this.#fail(
          new RealtimeError(message.data.message, {
            code: message.data.code,
            chatSessionId: message.data.chat_session_id,
          }),
        );
        break;
      }
      default:
        break;
    }
    this.#notify();
  }

  #settle(status: 'completed' | 'cancelled'): void {
    if (terminal.has(this.#status)) return;
    this.#status = status;
    const answer = this.#answer;
    this.#resolve({
      status,
      chatSessionId: this.#chatSessionId,
      conversationId: this.#conversationId,
      messageId: this.#messageId,
      text: this.#text,
      ...(answer ? { provider: answer.provider, model: answer.model, usage: answer.usage } : {}),
      modules: [...this.#modules],
      stages: [...this.#stages],
    });
    this.#notify();
  }

  #fail(error: unknown): void {
    if (terminal.has(this.#status)) return;
    this.#status = 'failed';
    this.#failure = error;
    this.#reject(this.#failure);
    this.#notify();
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}
