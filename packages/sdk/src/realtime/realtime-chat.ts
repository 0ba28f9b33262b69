import { WsClientMessage, WsServerMessage } from '@cartrita/contracts';
import { APIConnectionError, APIUserAbortError, type CartritaError, StreamError } from '../core/errors.js';
import type { Transport } from '../core/request.js';
import { DEFAULT_RECONNECT, type ReconnectOptions, reconnectDelay } from './backoff.js';
import {
  ChatRun,
  type ChatRunFeed,
  type ChatRunMessage,
  type ChatStageUpdate,
  type RealtimeChatInput,
} from './chat-run.js';
import { RealtimeError } from './errors.js';
import { authorizeSocket, socketUrl, type WebSocketConstructor } from './socket-url.js';

/**
 * Where the connection is: `connecting` (the first time), `open`, `reconnecting` (dropped; waiting
 * or trying again) or `closed` (by `close()`, or after the reconnect attempts ran out).
 */
export type RealtimeState = 'connecting' | 'open' | 'reconnecting' | 'closed';

/** The events of a {@link RealtimeChat} and what their listeners receive. */
export interface RealtimeEventMap {
  /** The connection state changed. */
  state: { state: RealtimeState; previous: RealtimeState };
  /** A socket opened (the first time or again); `sessionId` follows with `session_start`. */
  open: { reconnected: boolean };
  /** Every server message, as it arrived (validated against the contract). */
  message: WsServerMessage;
  /** A stage of a run's pipeline started or completed (each run also has {@link ChatRun.onStage}). */
  stage: ChatStageUpdate & { chatSessionId: string };
  /** A socket closed; `reconnecting` says whether another attempt follows. */
  close: { code: number; reason: string; reconnecting: boolean };
  /** Another attempt is scheduled in `delayMs`. */
  reconnecting: { attempt: number; delayMs: number };
  /**
   * Something went wrong outside any run: an `error` message for no run, a message that broke the
   * contract, a failed connection, or the attempts running out.
   */
  error: CartritaError;
}

/** Options of {@link RealtimeChat}. */
export interface RealtimeChatOptions {
  /** The WebSocket URL; default `/ws/chat` under the client's `baseURL` (http → ws, https → wss). */
  url?: string | undefined;
  /** Reconnect after a drop, with exponential backoff and jitter; `false` never reconnects. */
  reconnect?: ReconnectOptions | false | undefined;
  /**
   * How often to send a `ping` to check the connection, in milliseconds; `0` turns it off. Browsers
   * cannot see WebSocket ping frames, so this is how a client notices a dead network. Default: 25 000.
   */
  heartbeatMs?: number | undefined;
  /** How long to wait for anything from the server after a heartbeat `ping`. Default: 10 000. */
  heartbeatTimeoutMs?: number | undefined;
  /** Messages kept while disconnected; more fail at once. Default: 100. */
  maxQueued?: number | undefined;
  /** The `WebSocket` class to use. Default: `globalThis.WebSocket`, looked up at each connection. */
  WebSocket?: WebSocketConstructor | undefined;
  /** Closes the connection when aborted. */
  signal?: AbortSignal | undefined;
}

/** Options of one {@link RealtimeChat.send}. */
export interface RealtimeSendOptions extends Omit<RealtimeChatInput, 'message'> {
  /** Cancels the run when aborted. */
  signal?: AbortSignal | undefined;
}

type Listener<K extends keyof RealtimeEventMap> = (event: RealtimeEventMap[K]) => void;

interface Pending {
  run: ChatRun;
  feed: ChatRunFeed;
}

const PATH = '/ws/chat';
const OPEN = 1;
const where = { method: 'GET', path: PATH } as const;

/** The `/ws/chat` URL under an HTTP base URL, which may carry a path prefix. */
export const realtimeUrl = (baseURL: string): URL => socketUrl(baseURL, PATH);

/**
 * A chat connection over `/ws/chat` (seed 003). {@link RealtimeChat.send} sends a message and
 * returns its {@link ChatRun}; a new message makes the server cancel the running one. The
 * connection opens at once, and after a drop it comes back by itself, with exponential backoff and
 * jitter; messages sent while it is down wait in a queue and go out, in order, when it is back. A
 * run that was on the wire when the connection dropped fails with `APIConnectionError` (the server
 * cancels it, keeping the partial reply). A client secret from the client's `getClientSecret` goes
 * in the `access_token` query parameter, as browsers cannot send headers on a WebSocket; when a
 * connection fails before opening, or the server closes it because the secret expired (4401), the
 * next attempt asks `getClientSecret({ force: true })` for a fresh one.
 *
 * @example
 * ```ts
 * const chat = client.realtime.chat();
 * chat.on('state', ({ state }) => console.log('connection:', state));
 * const run = chat.send('Hello!');
 * for await (const message of run) if (message.type === 'chunk') render(message.data.content);
 * chat.close();
 * ```
 */
export class RealtimeChat {
  readonly #transport: Transport;
  readonly #options: RealtimeChatOptions;
  readonly #reconnect: Required<ReconnectOptions> | false;
  readonly #listeners = new Map<keyof RealtimeEventMap, Set<(event: never) => void>>();
  #state: RealtimeState = 'connecting';
  #socket: WebSocket | undefined;
  #sessionId: string | undefined;
  /** Failed attempts in a row. */
  #failures = 0;
  #everOpened = false;
  #forceToken = false;
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  #heartbeatDeadline: ReturnType<typeof setTimeout> | undefined;
  /** Runs waiting for a connection, in order. */
  #queue: Pending[] = [];
  /** Runs sent and not yet started by the server, in the order sent. */
  #awaitingStart: Pending[] = [];
  /** Started runs by chat session id. */
  #running = new Map<string, Pending>();
  /** Chat session ids this connection has seen or named in a `cancel`. */
  #known = new Set<string>();
  #lastSent: ChatRun | undefined;
  #opened: { promise: Promise<void>; resolve: () => void; reject: (error: unknown) => void };

  constructor(transport: Transport, options: RealtimeChatOptions = {}) {
    this.#transport = transport;
    this.#options = options;
    this.#reconnect =
      options.reconnect === false
        ? false
        : {
            maxAttempts: options.reconnect?.maxAttempts ?? DEFAULT_RECONNECT.maxAttempts,
            initialDelayMs: options.reconnect?.initialDelayMs ?? DEFAULT_RECONNECT.initialDelayMs,
            maxDelayMs: options.reconnect?.maxDelayMs ?? DEFAULT_RECONNECT.maxDelayMs,
          };
    this.#opened = this.#deferred();
    if (options.signal?.aborted) {
      this.close();
      return;
    }
    options.signal?.addEventListener('abort', () => this.close(), { once: true });
    void this.#connect();
  }

  /** Where the connection is. */
  get state(): RealtimeState {
    return this.#state;
  }

  /** The server's id for the current socket (`ws_…`, from `session_start`). */
  get sessionId(): string | undefined {
    return this.#sessionId;
  }

  /** Messages waiting for the connection. */
  get queued(): number {
    return this.#queue.length;
  }

  /**
   * Resolves when the connection is open (at once when it is); rejects when the client is closed or
   * gives up first.
   */
  ready(): Promise<void> {
    return this.#state === 'open' ? Promise.resolve() : this.#opened.promise;
  }

  /**
   * Sends a chat message and returns its run. While disconnected the message is queued and sent on
   * reconnect. The message is checked against the contract first; an invalid one throws a
   * `TypeError`.
   *
   * @example
   * ```ts
   * const run = chat.send('And in French?', { conversation_id: previous.conversationId });
   * const { text } = await run.done;
   * ```
   */
  send(message: string, options: RealtimeSendOptions = {}): ChatRun {
    const { signal, ...rest } = options;
    const checked = WsClientMessage.safeParse({ type: 'chat', data: { ...rest, message } });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new TypeError(`Invalid chat message: ${issue?.path.join('.') ?? 'data'} is invalid`);
    }
    const input = (checked.data as Extract<WsClientMessage, { type: 'chat' }>).data;
    let feed!: ChatRunFeed;
    const run = new ChatRun(
      input,
      (target) => this.#cancelRun(target),
      (attached) => {
        feed = attached;
      },
    );
    const pending = { run, feed };
    if (this.#state === 'closed') {
      feed.fail(new APIConnectionError('The realtime chat is closed; create a new one to send', where));
      return run;
    }
    if (signal) {
      if (signal.aborted) {
        feed.cancelLocally();
        return run;
      }
      signal.addEventListener('abort', () => run.cancel(), { once: true });
    }
    if (this.#isOpen()) {
      this.#sendChat(pending);
    } else if (this.#queue.length >= (this.#options.maxQueued ?? 100)) {
      feed.fail(new APIConnectionError('Too many messages are waiting for the connection', where));
    } else {
      this.#queue.push(pending);
    }
    return run;
  }

  /**
   * Cancels a run: the one with `chatSessionId`, else the latest one that is still going. Runs
   * also have their own {@link ChatRun.cancel}.
   */
  cancel(chatSessionId?: string): void {
    if (chatSessionId !== undefined) {
      const pending = this.#running.get(chatSessionId);
      if (pending) pending.run.cancel();
      else if (this.#isOpen()) {
        this.#known.add(chatSessionId);
        this.#write({ type: 'cancel', session_id: chatSessionId });
      }
      return;
    }
    // A run that has its reply but not its after-reply modules' end is still going: they stop.
    const latest = [...this.#queue, ...this.#awaitingStart, ...this.#running.values()]
      .map((pending) => pending.run)
      .at(-1);
    latest?.cancel();
  }

  /**
   * Listens to an event; returns a function that stops listening.
   *
   * @example
   * ```ts
   * const off = chat.on('reconnecting', ({ attempt, delayMs }) => console.log(`retry ${attempt} in ${delayMs} ms`));
   * ```
   */
  on<K extends keyof RealtimeEventMap>(event: K, listener: Listener<K>): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener as (event: never) => void);
    return () => this.off(event, listener);
  }

  /** Stops a listener added with {@link RealtimeChat.on}. */
  off<K extends keyof RealtimeEventMap>(event: K, listener: Listener<K>): void {
    this.#listeners.get(event)?.delete(listener as (event: never) => void);
  }

  /**
   * Closes the connection for good. Runs still going, or queued, fail with `APIUserAbortError`;
   * the server cancels a running reply and keeps its partial text.
   */
  close(code = 1000, reason = 'Closed by the client'): void {
    if (this.#state === 'closed') return;
    this.#setState('closed');
    clearTimeout(this.#reconnectTimer);
    this.#stopHeartbeat();
    const socket = this.#socket;
    this.#socket = undefined;
    if (socket) {
      this.#detach(socket);
      if (socket.readyState <= OPEN) socket.close(code, reason);
    }
    this.#failAll(new APIUserAbortError(where), true);
    this.#opened.reject(new APIUserAbortError(where));
  }

  // Connecting --------------------------------------------------------------------------------

  async #connect(): Promise<void> {
    let token: string | undefined;
    try {
      token = await this.#transport.authToken({ force: this.#forceToken });
    } catch (error) {
      this.#emit(
        'error',
        new APIConnectionError('Could not get a credential for /ws/chat', { ...where, cause: error }),
      );
      this.#handleClose(1006, 'No credential', false);
      return;
    }
    this.#forceToken = false;
    if (this.#state === 'closed') return;
    const url = this.#options.url ? new URL(this.#options.url) : realtimeUrl(this.#transport.baseURL);
    let init: unknown;
    try {
      init = authorizeSocket(url, token, where);
    } catch (error) {
      this.#giveUp(error as CartritaError);
      return;
    }
    const Socket = this.#options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Socket) {
      this.#giveUp(new APIConnectionError('No WebSocket class: pass one in the WebSocket option', where));
      return;
    }
    let socket: WebSocket;
    try {
      socket = new Socket(url.toString(), init as string[] | undefined);
    } catch (error) {
      this.#emit('error', APIConnectionError.forRequest(where, error));
      this.#handleClose(1006, 'The WebSocket could not be created', false);
      return;
    }
    this.#socket = socket;
    let opened = false;
    socket.onopen = () => {
      opened = true;
      this.#handleOpen();
    };
    socket.onmessage = (event: MessageEvent) => this.#handleMessage(event.data);
    socket.onerror = () => {};
    socket.onclose = (event: CloseEvent) => {
      if (this.#socket !== socket) return;
      this.#detach(socket);
      this.#socket = undefined;
      this.#handleClose(event.code, event.reason, opened);
    };
  }

  #handleOpen(): void {
    const reconnected = this.#everOpened;
    this.#everOpened = true;
    this.#failures = 0;
    this.#setState('open');
    this.#startHeartbeat();
    this.#emit('open', { reconnected });
    const queued = this.#queue;
    this.#queue = [];
    for (const pending of queued) this.#sendChat(pending);
    this.#opened.resolve();
  }

  /** A socket closed, or an attempt failed before there was one: reconnect, or give up. */
  #handleClose(code: number, reason: string, opened: boolean): void {
    this.#stopHeartbeat();
    this.#sessionId = undefined;
    // Runs on the wire are lost with the socket: the server has cancelled them.
    this.#failAll(
      new APIConnectionError('The /ws/chat connection closed before the reply finished', where),
      false,
    );
    if (this.#state === 'closed') return;
    const policy = this.#reconnect;
    if (opened) {
      this.#emit('close', { code, reason, reconnecting: policy !== false });
      this.#opened = this.#deferred();
    } else {
      this.#failures++;
    }
    // 4401: the client secret expired. A socket that never opened may have been refused (401).
    if (code === 4401 || !opened) this.#forceToken = true;
    if (policy === false || this.#failures > policy.maxAttempts) {
      this.#giveUp(
        new APIConnectionError(
          policy === false
            ? `The /ws/chat connection closed (${code}${reason ? `: ${reason}` : ''})`
            : `Could not connect to /ws/chat: ${this.#failures} attempts in a row failed`,
          where,
        ),
      );
      return;
    }
    const delayMs = reconnectDelay(this.#failures, policy);
    if (this.#everOpened) this.#setState('reconnecting');
    this.#emit('reconnecting', { attempt: this.#failures + 1, delayMs });
    clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = setTimeout(() => void this.#connect(), delayMs);
  }

  /** Stops for good after a failure that another attempt would not fix. */
  #giveUp(error: CartritaError): void {
    this.#emit('error', error);
    this.#failAll(error, true);
    this.#setState('closed');
    this.#opened.reject(error);
  }

  #detach(socket: WebSocket): void {
    socket.onopen = null;
    socket.onmessage = null;
    socket.onclose = null;
    socket.onerror = null;
  }

  #isOpen(): boolean {
    return this.#state === 'open' && this.#socket?.readyState === OPEN;
  }

  // Heartbeat ---------------------------------------------------------------------------------

  #startHeartbeat(): void {
    const every = this.#options.heartbeatMs ?? 25_000;
    if (!(every > 0) || !Number.isFinite(every)) return;
    this.#heartbeatTimer = setInterval(() => {
      if (!this.#isOpen() || this.#heartbeatDeadline !== undefined) return;
      this.#write({ type: 'ping' });
      this.#heartbeatDeadline = setTimeout(() => this.#dead(), this.#options.heartbeatTimeoutMs ?? 10_000);
    }, every);
  }

  #stopHeartbeat(): void {
    clearInterval(this.#heartbeatTimer);
    clearTimeout(this.#heartbeatDeadline);
    this.#heartbeatTimer = undefined;
    this.#heartbeatDeadline = undefined;
  }

  /** No answer to a heartbeat: the network is gone, and the close handshake would hang too. */
  #dead(): void {
    const socket = this.#socket;
    this.#heartbeatDeadline = undefined;
    if (!socket) return;
    this.#detach(socket);
    this.#socket = undefined;
    socket.close(4000, 'Heartbeat timeout');
    this.#handleClose(1006, 'Heartbeat timeout', true);
  }

  // Messages ----------------------------------------------------------------------------------

  #write(message: WsClientMessage): void {
    this.#socket?.send(JSON.stringify(message));
  }

  #sendChat(pending: Pending): void {
    this.#write({ type: 'chat', data: pending.run.input });
    pending.feed.sent();
    this.#awaitingStart.push(pending);
    this.#lastSent = pending.run;
  }

  #cancelRun(run: ChatRun): void {
    const queued = this.#queue.findIndex((pending) => pending.run === run);
    if (queued >= 0) {
      const [pending] = this.#queue.splice(queued, 1);
      pending?.feed.cancelLocally();
      return;
    }
    if (!this.#isOpen()) return;
    const id = run.chatSessionId;
    if (id !== undefined) {
      this.#write({ type: 'cancel', session_id: id });
    } else if (run === this.#lastSent && this.#awaitingStart.some((pending) => pending.run === run)) {
      // Not started yet, and the last chat sent: the server's running chat, so `cancel` names it.
      this.#write({ type: 'cancel' });
    }
    // Otherwise a later chat has been sent, and the server cancels this one by itself.
  }

  #handleMessage(data: unknown): void {
    clearTimeout(this.#heartbeatDeadline);
    this.#heartbeatDeadline = undefined;
    let message: WsServerMessage;
    try {
      const parsed = WsServerMessage.safeParse(JSON.parse(String(data)));
      if (!parsed.success) throw parsed.error;
      message = parsed.data;
    } catch (error) {
      this.#emit(
        'error',
        new StreamError('The /ws/chat server sent a message that breaks the contract', {
          ...where,
          cause: error,
        }),
      );
      return;
    }
    this.#route(message);
    this.#emit('message', message);
    if (message.type === 'stage_update') {
      const { chat_session_id: chatSessionId, stage, status, error } = message.data;
      this.#emit('stage', { chatSessionId, stage, status, ...(error === undefined ? {} : { error }) });
    }
  }

  #route(message: WsServerMessage): void {
    switch (message.type) {
      case 'session_start':
        this.#sessionId = message.data.session_id;
        return;
      case 'pong':
        return;
      case 'chat_session_start': {
        const pending = this.#awaitingStart.shift();
        this.#known.add(message.data.chat_session_id);
        if (!pending) return;
        this.#running.set(message.data.chat_session_id, pending);
        pending.feed.deliver(message);
        return;
      }
      default:
        break;
    }
    const id = message.data.chat_session_id;
    const running = id === undefined ? undefined : this.#running.get(id);
    if (running) {
      running.feed.deliver(message as ChatRunMessage);
      if (running.run.status !== 'running') this.#running.delete(id as string);
      return;
    }
    // A chat the server ended before starting it (refused, or cancelled by a newer chat) answers with
    // a session id the client has never seen: it is the oldest chat still waiting.
    if (
      id !== undefined &&
      !this.#known.has(id) &&
      (message.type === 'error' || message.type === 'cancelled')
    ) {
      this.#known.add(id);
      const pending = this.#awaitingStart.shift();
      if (pending) {
        pending.feed.deliver(message);
        return;
      }
    }
    if (message.type === 'error') {
      this.#emit(
        'error',
        new RealtimeError(message.data.message, { code: message.data.code, chatSessionId: id }),
      );
    }
  }

  #failAll(error: unknown, includeQueued: boolean): void {
    const lost = [...this.#awaitingStart, ...this.#running.values()];
    this.#awaitingStart = [];
    this.#running.clear();
    this.#known.clear();
    this.#lastSent = undefined;
    if (includeQueued) {
      lost.push(...this.#queue);
      this.#queue = [];
    }
    for (const pending of lost) pending.feed.fail(error);
  }

  // Events ------------------------------------------------------------------------------------

  #setState(state: RealtimeState): void {
    const previous = this.#state;
    if (previous === state) return;
    this.#state = state;
    this.#emit('state', { state, previous });
  }

  #emit<K extends keyof RealtimeEventMap>(event: K, payload: RealtimeEventMap[K]): void {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        (listener as Listener<K>)(payload);
      } catch (error) {
        // A listener's bug must not break the connection; report it as the platform reports them.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #deferred() {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(() => {});
    return { promise, resolve, reject };
  }
}
