/** @module One `/ws/chat` connection: the seed-003 protocol over the chat engine. */
import type {
  ChatStage,
  ChatStageStatus,
  ModuleRunReport,
  WsClientMessage,
  WsServerMessage,
} from '@cartrita/contracts';
import { toHttpError } from '../errors.js';
import { newId } from '../ids.js';
import type { EngineLogger } from '../logger.js';
import type { ChatService } from './chat-service.js';
import type { LiveResponse, SequencedFrame } from './live-response.js';
import { parseClientMessage, type WsErrorData } from './messages.js';

type ChatData = Extract<WsClientMessage, { type: 'chat' }>['data'];

/** What a connection needs from the server. */
export interface ChatConnectionOptions {
  /** Sends one message to the client (the transport keeps order and handles back-pressure). */
  send(message: WsServerMessage): void;
  /** The chat engine (only `start` and `cancel` are used). */
  chat: Pick<ChatService, 'start' | 'cancel'>;
  /** The caller, from the upgrade's credentials. */
  userId: string;
  /** The server's public origin, for attachment links. */
  baseUrl: string;
  logger: EngineLogger;
  /** Whether the caller may use a provider (an API key's provider scopes); default any. */
  allowProvider?: (provider: string) => boolean;
}

/** One chat message of the connection, from `chat` to its last server message. */
class ChatRun {
  readonly id = newId('chatSession', 8);
  live: LiveResponse | undefined;
  /** `cancelled` was sent (or the client left): later frames of the reply are dropped. */
  cancelled = false;
  /** `done` was sent: the reply is complete; a cancel now stops its after-reply modules. */
  answered = false;
  /** What the after-reply modules did (stages 4–5). */
  modules: ModuleRunReport[] = [];
  /** The reply ended (or never started). */
  finished = false;
  provider = '';
  model = '';
  stopListening: (() => void) | undefined;
  /**
   * Stage updates the turn told before `chat_session_start` went out (the engine may start
   * resolving the prompt before it hands the reply over); sent right after it. `undefined` once sent.
   */
  earlyStages: WsServerMessage[] | undefined = [];
  readonly ended: Promise<void>;
  #resolveEnded!: () => void;

  constructor() {
    this.ended = new Promise((resolve) => {
      this.#resolveEnded = resolve;
    });
  }

  finish(): void {
    this.finished = true;
    this.stopListening?.();
    this.#resolveEnded();
  }
}

/**
 * Speaks seed 003's protocol on one socket: `session_start` on connect; per `chat`, a new chat
 * session with `chat_session_start`, a `stage_update` as each of the four stages starts and ends, `chunk`s, `done` and
 * `post_response_complete`; `cancel` aborts the provider call (synchronously, through the engine's
 * AbortController) and only then answers `cancelled`; a new `chat` cancels the running one first;
 * `ping` answers `pong`. Chats start one after another, each once the reply before it has saved its
 * partial text, so a conversation's history stays in order. Invalid messages get an `error` and
 * leave the socket open.
 */
export class ChatConnection {
  /** The WebSocket session id sent in `session_start` (`ws_…`). */
  readonly sessionId = newId('socket', 8);
  readonly #options: ChatConnectionOptions;
  #current: ChatRun | undefined;
  /** Chats start in the order they arrived, one at a time. */
  #starting: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(options: ChatConnectionOptions) {
    this.#options = options;
  }

  /** The running chat session's id, if one runs. */
  get runningChatSessionId(): string | undefined {
    const run = this.#current;
    return run && !run.finished && !run.cancelled ? run.id : undefined;
  }

  /** Sends `session_start`. */
  open(): void {
    this.#send({ type: 'session_start', data: { session_id: this.sessionId } });
  }

  /** Handles one text message from the client. */
  receive(raw: string): void {
    if (this.#closed) return;
    const parsed = parseClientMessage(raw);
    if (!parsed.ok) {
      if (!parsed.chat) {
        this.#error(parsed.error);
        return;
      }
      // The answer to a `chat`: it takes its turn behind the chats before it, so answers stay in order.
      const error = { ...parsed.error, chat_session_id: newId('chatSession', 8) };
      this.#starting = this.#starting.then(() => this.#error(error));
      return;
    }
    const { message } = parsed;
    switch (message.type) {
      case 'ping':
        this.#send(message.data === undefined ? { type: 'pong' } : { type: 'pong', data: message.data });
        return;
      case 'cancel':
        this.#cancelRequest(message.session_id);
        return;
      case 'chat':
        this.#chat(message.data);
        return;
    }
  }

  /** Tells the client that a binary frame is not a message. */
  receiveBinary(): void {
    this.#error({ code: 'VALIDATION_ERROR', message: 'Binary frames are not accepted: send JSON text.' });
  }

  /** The socket closed (or is being dropped): cancels the running chat and sends nothing more. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const run = this.#current;
    if (run && !run.finished && !run.cancelled) this.#abort(run);
  }

  #send(message: WsServerMessage): void {
    if (!this.#closed) this.#options.send(message);
  }

  #error(data: WsErrorData): void {
    this.#send({ type: 'error', data });
  }

  /** Sends a `stage_update` now, or right after `chat_session_start` when that has not gone out yet. */
  #stage(run: ChatRun, stage: ChatStage, status: ChatStageStatus, error?: string): void {
    if (run.cancelled || run.finished) return;
    const message: WsServerMessage = {
      type: 'stage_update',
      data: { chat_session_id: run.id, stage, status, ...(error === undefined ? {} : { error }) },
    };
    if (run.earlyStages) run.earlyStages.push(message);
    else this.#send(message);
  }

  #chat(data: ChatData): void {
    const previous = this.#current;
    const run = new ChatRun();
    this.#current = run;
    if (previous && !previous.finished) this.#cancel(previous);
    this.#starting = this.#starting
      .then(async () => {
        // The reply before has been aborted; let it save its partial text before this turn reads history.
        if (previous) await previous.ended;
        await this.#start(run, data);
      })
      .catch((failure: unknown) => {
        // A bug must not stall the chats queued behind this one.
        this.#options.logger.error({ err: failure }, 'A /ws/chat message failed');
        this.#error({
          code: 'INTERNAL_ERROR',
          message: 'The message failed. Try again.',
          chat_session_id: run.id,
        });
        run.finish();
      });
  }

  async #start(run: ChatRun, data: ChatData): Promise<void> {
    if (run.cancelled) {
      // Cancelled before its turn began: nothing was stored and nothing needs aborting. Answered
      // here, in turn, so that every chat's first answer comes in the order the chats were sent.
      this.#send({ type: 'cancelled', data: { chat_session_id: run.id } });
      run.finish();
      return;
    }
    if (this.#closed) {
      run.finish();
      return;
    }
    const { chat, userId, baseUrl, logger, allowProvider } = this.#options;
    let live: LiveResponse;
    try {
      live = await chat.start({
        userId,
        baseUrl,
        text: data.message,
        ...(data.conversation_id ? { threadId: data.conversation_id } : {}),
        ...(data.provider ? { provider: data.provider } : {}),
        ...(data.model ? { model: data.model } : {}),
        ...(data.chat_controls ? { parameters: data.chat_controls } : {}),
        ...(data.persona_id ? { personaId: data.persona_id } : {}),
        ...(data.agent ? { agent: data.agent } : {}),
        ...(allowProvider ? { allowProvider } : {}),
        // Stages 1–3 are told as the turn reaches them, which may be before `start` returns.
        onStage: (stage, status, error) => this.#stage(run, stage, status, error),
      });
    } catch (failure) {
      const error = toHttpError(failure);
      if (error.code === 'INTERNAL_ERROR')
        logger.error({ err: failure }, 'A /ws/chat message failed to start');
      this.#error({ code: error.code, message: error.message, chat_session_id: run.id });
      run.finish();
      return;
    }
    run.live = live;
    this.#send({
      type: 'chat_session_start',
      data: { chat_session_id: run.id, conversation_id: live.threadId, message_id: live.messageId },
    });
    const early = run.earlyStages ?? [];
    run.earlyStages = undefined;
    if (!run.cancelled) for (const message of early) this.#send(message);
    run.stopListening = live.listen(0, (frame) => this.#onFrame(run, frame));
    // A cancel, a newer chat or the client leaving came while the turn was starting.
    if ((run.cancelled || this.#closed) && !run.finished) this.#abortAndAnswer(run);
  }

  #onFrame(run: ChatRun, item: SequencedFrame | 'end'): void {
    if (item === 'end') {
      if (!run.cancelled && run.answered) {
        const failed = run.modules.filter((module) => module.status === 'failed');
        if (failed.length > 0) {
          const errors = failed.map((module) => `@${module.name}: ${module.error ?? 'failed'}`);
          this.#stage(run, 'post_response', 'failed', errors.join('; '));
        } else {
          this.#stage(run, 'post_response', 'completed');
        }
        this.#send({
          type: 'post_response_complete',
          data: {
            chat_session_id: run.id,
            ...(run.live ? { message_id: run.live.messageId } : {}),
            modules: run.modules,
          },
        });
      }
      run.finish();
      if (this.#current === run) this.#current = undefined;
      return;
    }
    if (run.cancelled) return;
    const frame = item.frame;
    switch (frame.type) {
      case 'start':
        run.provider = frame.provider;
        run.model = frame.model;
        return;
      case 'chunk':
        this.#send({
          type: 'chunk',
          data: { chat_session_id: run.id, content: frame.content, thinking: null, done: false },
        });
        return;
      case 'done':
        if (frame.finish_reason === 'cancelled') {
          // Cancelled from elsewhere (another door's cancel, shutdown): tell the client the same way.
          run.cancelled = true;
          this.#send({ type: 'cancelled', data: { chat_session_id: run.id, message_id: frame.message_id } });
          return;
        }
        run.answered = true;
        this.#stage(run, 'generation', 'completed');
        this.#send({
          type: 'done',
          data: {
            chat_session_id: run.id,
            conversation_id: frame.conversation_id,
            message_id: frame.message_id,
            response: frame.response,
            provider: run.provider,
            model: run.model,
            ...(frame.usage ? { usage: frame.usage } : {}),
          },
        });
        this.#stage(run, 'post_response', 'started');
        return;
      case 'post_response':
        run.modules = frame.modules;
        return;
      case 'error':
        this.#stage(run, 'generation', 'failed', frame.message);
        run.cancelled = true;
        this.#error({ code: frame.code, message: frame.message, chat_session_id: run.id });
        return;
      default:
        // `progress` has no message in seed 003; `incomplete` only exists in stored logs.
        return;
    }
  }

  /** `cancel` from the client: the named chat session, or the running one. */
  #cancelRequest(sessionId: string | undefined): void {
    const run = this.#current;
    if (!run || (sessionId !== undefined && sessionId !== run.id) || run.finished || run.cancelled) {
      this.#error({
        code: 'NOT_FOUND',
        message:
          sessionId === undefined
            ? 'No chat session is running.'
            : `Chat session ${sessionId} is not running.`,
        ...(sessionId === undefined ? {} : { chat_session_id: sessionId }),
      });
      return;
    }
    this.#cancel(run);
  }

  /**
   * Cancels a run now, or as soon as its turn has started: the reply while it streams, or the
   * after-reply modules once it is complete (the reply is kept either way).
   */
  #cancel(run: ChatRun): void {
    if (run.cancelled || run.finished) return;
    run.cancelled = true;
    if (run.live) this.#abortAndAnswer(run);
    // Otherwise `#start` answers: at once when the turn has not begun (nothing to abort), or by
    // aborting it as soon as the engine hands the reply over.
  }

  /** Aborts the provider call, then answers `cancelled` (unless the client is gone). */
  #abortAndAnswer(run: ChatRun): void {
    const live = run.live as LiveResponse;
    run.cancelled = true;
    // `cancel` aborts the turn's AbortController synchronously: by the time it returns, the
    // provider's signal has fired and its request is being torn down.
    this.#options.chat.cancel(live.id, this.#options.userId);
    this.#send({ type: 'cancelled', data: { chat_session_id: run.id, message_id: live.messageId } });
  }

  /** Aborts without answering: the client is gone. */
  #abort(run: ChatRun): void {
    run.cancelled = true;
    if (run.live) this.#options.chat.cancel(run.live.id, this.#options.userId);
  }
}
