import {
  type AssistantMessageItem,
  type ChatStage,
  type UserMessageItem,
  WsClientMessage,
  type WsServerMessage,
} from '@cartrita/contracts';
import { type WebSocketHandler, ws } from 'msw';
import { MockHttpError } from '../errors.js';
import { newId, now, randomHex } from '../ids.js';
import { type ReplyPart, splitDeltas, textOf, titleFrom } from '../responder.js';
import type { RouteImplementation } from '../route-handler.js';
import { type CartritaStore, createStore, type SessionRecord, type ThreadRecord } from '../store.js';
import { saveCancelledNote } from '../turn.js';

/**
 * `GET /ws/chat` without an upgrade: 426 Upgrade Required, as the reference server answers. The
 * WebSocket itself is mocked by {@link realtimeHandlers}.
 */
export const realtimeUpgradeRequired: RouteImplementation<'chat.realtime'> = () => {
  throw new MockHttpError(
    'BAD_REQUEST',
    'GET /ws/chat is a WebSocket: connect with an Upgrade: websocket request.',
    {
      status: 426,
      headers: { Upgrade: 'websocket' },
    },
  );
};

/** The mocks of the realtime routes' HTTP side, by route id. */
export const realtimeImplementations = {
  'chat.realtime': realtimeUpgradeRequired,
} as const;

/** Options of {@link realtimeHandlers}. */
export interface RealtimeHandlersOptions {
  /** Where the mocked server lives (`http://…`; the socket is `ws://…/ws/chat`). Default: the store's. */
  baseURL?: string;
  /** The fake's state, shared with the HTTP handlers. Default: a new store. */
  store?: CartritaStore;
}

/** The fake's answer to a client that sent no valid credential (the server refuses the upgrade with 401). */
export const REALTIME_UNAUTHORIZED_CLOSE_CODE = 1008;

type ChatData = Extract<WsClientMessage, { type: 'chat' }>['data'];

interface MockRun {
  readonly id: string;
  messageId?: string;
  cancelled: boolean;
  answered: boolean;
  finished: boolean;
  /** Set while the reply is being produced. */
  started: boolean;
  ended: Promise<void>;
  end(): void;
}

const newRun = (): MockRun => {
  let end!: () => void;
  const ended = new Promise<void>((resolve) => {
    end = resolve;
  });
  const run: MockRun = {
    id: newId('chatSession'),
    cancelled: false,
    answered: false,
    finished: false,
    started: false,
    ended,
    end: () => {
      run.finished = true;
      end();
    },
  };
  return run;
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Names the first failing field of an invalid client message, as the server does. */
const describeIssue = (issue: { path: PropertyKey[]; code: string; options?: unknown }): string => {
  const where = issue.path.length === 0 ? 'the message' : issue.path.map(String).join('.');
  if (issue.code === 'invalid_union' && Array.isArray(issue.options)) {
    return `${where} must be one of ${issue.options.map(String).join(', ')}`;
  }
  return `${where} is invalid`;
};

/**
 * One mocked `/ws/chat` connection, speaking the reference server's protocol over the fake store:
 * `session_start`; per `chat`, `chat_session_start`, the four `stage_update`s, a `chunk` per word
 * of the store's scripted reply (`store.respondWith`), `done` and `post_response_complete`;
 * `cancel` answers `cancelled` and keeps the partial reply with a hidden note; a new `chat` cancels
 * the running one; `ping` answers `pong`; invalid messages get a `VALIDATION_ERROR`.
 */
class MockChatConnection {
  readonly #store: CartritaStore;
  readonly #session: SessionRecord;
  readonly #send: (message: WsServerMessage) => void;
  #current: MockRun | undefined;
  #chain: Promise<void> = Promise.resolve();
  #closed = false;

  constructor(store: CartritaStore, session: SessionRecord, send: (message: WsServerMessage) => void) {
    this.#store = store;
    this.#session = session;
    this.#send = (message) => {
      if (!this.#closed) send(message);
    };
    this.#send({ type: 'session_start', data: { session_id: `ws_${randomHex(8)}` } });
  }

  close(): void {
    const run = this.#current;
    if (run && !run.finished) run.cancelled = true;
    this.#closed = true;
  }

  receive(raw: unknown): void {
    if (typeof raw !== 'string') {
      this.#error('VALIDATION_ERROR', 'Binary frames are not accepted: send JSON text.');
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      this.#error('VALIDATION_ERROR', 'The message is not valid JSON: send one JSON object per text frame.');
      return;
    }
    const parsed = WsClientMessage.safeParse(json);
    if (!parsed.success) {
      const chat = typeof json === 'object' && json !== null && (json as { type?: unknown }).type === 'chat';
      const issue = parsed.error.issues[0];
      const text = `Invalid message: ${issue ? describeIssue(issue as never) : 'it is invalid'}.`;
      if (chat) {
        // The answer to a `chat` takes its turn behind the chats before it, as on the server.
        const id = newId('chatSession');
        this.#chain = this.#chain.then(() => this.#error('VALIDATION_ERROR', text, id));
      } else {
        this.#error('VALIDATION_ERROR', text);
      }
      return;
    }
    const message = parsed.data;
    if (message.type === 'ping') {
      this.#send(message.data === undefined ? { type: 'pong' } : { type: 'pong', data: message.data });
    } else if (message.type === 'cancel') {
      const run = this.#current;
      if (
        !run ||
        run.finished ||
        run.cancelled ||
        (message.session_id !== undefined && message.session_id !== run.id)
      ) {
        this.#error(
          'NOT_FOUND',
          message.session_id === undefined
            ? 'No chat session is running.'
            : `Chat session ${message.session_id} is not running.`,
          message.session_id,
        );
      } else if (run.answered) {
        this.#error('CONFLICT', `Chat session ${run.id} has already been answered.`, run.id);
      } else {
        this.#cancel(run);
      }
    } else {
      this.#chat(message.data);
    }
  }

  #error(code: string, message: string, chatSessionId?: string): void {
    this.#send({
      type: 'error',
      data: { code, message, ...(chatSessionId ? { chat_session_id: chatSessionId } : {}) },
    });
  }

  #stage(run: MockRun, stage: ChatStage, status: 'started' | 'completed'): void {
    this.#send({ type: 'stage_update', data: { chat_session_id: run.id, stage, status } });
  }

  #cancel(run: MockRun): void {
    if (run.cancelled || run.finished || run.answered) return;
    run.cancelled = true;
    // A chat that has not started is answered in its turn (see `#chat`), so answers stay in order.
    if (run.started)
      this.#send({
        type: 'cancelled',
        data: { chat_session_id: run.id, message_id: run.messageId as string },
      });
  }

  #chat(data: ChatData): void {
    const previous = this.#current;
    const run = newRun();
    this.#current = run;
    if (previous && !previous.finished) this.#cancel(previous);
    this.#chain = this.#chain.then(async () => {
      if (previous) await previous.ended;
      if (run.cancelled || this.#closed) {
        this.#send({ type: 'cancelled', data: { chat_session_id: run.id } });
        run.end();
        return;
      }
      try {
        await this.#run(run, data);
      } catch (error) {
        if (error instanceof MockHttpError) this.#error(error.code, error.message, run.id);
        else {
          // A bug in a scripted reply: end the chat the way the server does, and show the bug.
          console.error(error);
          this.#error('INTERNAL_ERROR', 'The message failed. Try again.', run.id);
        }
      } finally {
        run.end();
        if (this.#current === run) this.#current = undefined;
      }
    });
  }

  async #run(run: MockRun, data: ChatData): Promise<void> {
    const store = this.#store;
    if (data.provider !== undefined && data.provider !== store.chatProvider) {
      throw new MockHttpError(
        'PROVIDER_NOT_CONFIGURED',
        `The provider ${data.provider} is not configured on this server`,
      );
    }
    const firstTurn = data.conversation_id === undefined;
    const thread: ThreadRecord = firstTurn
      ? store.createThread(this.#session.userId, { title: titleFrom(data.message) })
      : store.getOpenThread(this.#session.userId, data.conversation_id as string);
    const input: UserMessageItem = {
      id: newId('message'),
      thread_id: thread.id,
      created_at: now(),
      type: 'user_message',
      content: [{ type: 'input_text', text: data.message }],
      attachments: [],
      inference_options: data.model ? { model: data.model } : {},
    };
    store.saveItem(thread, input);
    const messageId = newId('message');
    run.messageId = messageId;
    run.started = true;
    this.#send({
      type: 'chat_session_start',
      data: { chat_session_id: run.id, conversation_id: thread.id, message_id: messageId },
    });
    this.#stage(run, 'prompt_resolution', 'started');
    this.#stage(run, 'prompt_resolution', 'completed');
    this.#stage(run, 'context', 'started');
    let parts: readonly ReplyPart[];
    try {
      const reply = await store.nextReply({
        type: firstTurn ? 'threads.create' : 'threads.add_user_message',
        thread: store.toThread(thread),
        items: store.visibleItems(thread),
        input,
      });
      parts = typeof reply === 'string' ? [{ type: 'text', text: reply }] : reply;
    } catch {
      parts = [{ type: 'error', message: 'The assistant failed to answer.' }];
    }
    this.#stage(run, 'context', 'completed');
    this.#stage(run, 'generation', 'started');
    const pace = textOf(input).trim() === '/slow' ? Math.max(store.paceMs, 1) * 20 : store.paceMs;
    let text = '';
    let failure: string | undefined;
    for (const part of parts) {
      if (part.type === 'error') {
        failure = part.message ?? 'The provider failed.';
        break;
      }
      // Widgets, tool calls, forms and notices are left out: this door carries text.
      if (part.type !== 'text') continue;
      for (const delta of splitDeltas(part.text)) {
        // Always yield, so that a cancel can arrive between two words even at pace 0.
        await sleep(pace);
        if (run.cancelled) break;
        text += delta;
        this.#send({
          type: 'chunk',
          data: { chat_session_id: run.id, content: delta, thinking: null, done: false },
        });
      }
      if (run.cancelled) break;
    }
    const assistant: AssistantMessageItem = {
      id: messageId,
      thread_id: thread.id,
      created_at: now(),
      type: 'assistant_message',
      content: [{ type: 'output_text', text, annotations: [] }],
    };
    if (store.thread(thread.id) && text.trim() !== '') store.saveItem(thread, assistant);
    if (run.cancelled || failure) {
      if (store.thread(thread.id)) saveCancelledNote(store, thread);
      if (failure && !run.cancelled) this.#error('PROVIDER_ERROR', failure, run.id);
      return;
    }
    const promptTokens = splitDeltas(data.message).length;
    const completionTokens = splitDeltas(text).length;
    run.answered = true;
    this.#stage(run, 'generation', 'completed');
    this.#send({
      type: 'done',
      data: {
        chat_session_id: run.id,
        conversation_id: thread.id,
        message_id: messageId,
        response: text,
        provider: store.chatProvider,
        model: data.model ?? store.chatModel,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      },
    });
    this.#stage(run, 'post_response', 'started');
    this.#stage(run, 'post_response', 'completed');
    this.#send({ type: 'post_response_complete', data: { chat_session_id: run.id } });
  }
}

/** The `ws://` (or `wss://`) URL of `/ws/chat` under an `http(s)://` base URL. */
const socketUrl = (baseURL: string): string =>
  `${baseURL.replace(/\/+$/, '').replace(/^http(s?):/i, 'ws$1:')}/ws/chat`;

/**
 * MSW handlers for the `/ws/chat` WebSocket, backed by the same fake store as the HTTP handlers: a
 * client secret from `POST /api/chatkit/session` in the `access_token` query parameter opens it
 * (anything else is closed with 1008 before it opens), and chats become threads and items that
 * `/chatkit` shows. Add them next to `createHandlers` to run the SDK's `client.realtime.chat()`
 * against the mocks.
 *
 * @example
 * const store = createStore({ baseURL: 'http://localhost:8000' });
 * const server = setupServer(...createHandlers({ store }), ...realtimeHandlers({ store }));
 * server.listen({ onUnhandledFrame: 'error' });
 * store.respondWith('Hello over a mocked socket');
 */
export const realtimeHandlers = (options: RealtimeHandlersOptions = {}): WebSocketHandler[] => {
  const store =
    options.store ?? createStore(options.baseURL === undefined ? {} : { baseURL: options.baseURL });
  const baseURL = (options.baseURL ?? store.baseURL).replace(/\/+$/, '');
  if (baseURL !== store.baseURL) {
    throw new Error(
      `realtimeHandlers: baseURL ${baseURL} differs from the store's ${store.baseURL}; ` +
        'create the store with the same baseURL',
    );
  }
  const link = ws.link(socketUrl(baseURL));
  return [
    link.addEventListener('connection', ({ client }) => {
      const token = client.url.searchParams.get('access_token');
      const session = token === null ? undefined : store.authenticate(token);
      if (!session) {
        client.close(REALTIME_UNAUTHORIZED_CLOSE_CODE, 'A valid client secret is required');
        return;
      }
      const connection = new MockChatConnection(store, session, (message) =>
        client.send(JSON.stringify(message)),
      );
      client.addEventListener('message', (event) => connection.receive(event.data));
      client.addEventListener('close', () => connection.close());
    }),
  ];
};
