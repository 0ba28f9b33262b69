/**
 * @module One `WS /ws/{client_id}` connection (seed 004): ping, subscribing to sessions, and the
 * updates of those sessions and of the caller's files, from the event bus. The server's door and the
 * mocks' socket both run it.
 */
import {
  FileProcessingUpdate,
  StudioClientMessage,
  type StudioServerMessage,
  type StudioSessionUpdate,
} from '@cartrita/contracts';
import type { EventBus } from '../events.js';
import { filesTopic } from '../files/processing-queue.js';
import type { EngineLogger } from '../logger.js';
import { studioSessionTopic } from './topics.js';

/** Most sessions one connection may follow at once. */
export const maxStudioSubscriptions = 100;

/** What a connection needs. */
export interface StudioConnectionOptions {
  clientId: string;
  /** The caller: they see their own sessions and files only. */
  userId: string;
  bus: EventBus;
  /** Sends one message to the client (the transport keeps order and handles back-pressure). */
  send(message: StudioServerMessage): void;
  logger: EngineLogger;
}

/** Speaks seed 004's realtime protocol on one socket. */
export class StudioConnection {
  readonly #options: StudioConnectionOptions;
  readonly #sessions = new Map<string, Promise<(() => void) | undefined>>();
  #stopFiles: Promise<(() => void) | undefined> | undefined;
  #closed = false;

  constructor(options: StudioConnectionOptions) {
    this.#options = options;
  }

  /** Greets the client and starts following the caller's files. */
  start(): void {
    const { userId, send } = this.#options;
    send({ type: 'connected', client_id: this.#options.clientId });
    this.#stopFiles = this.#follow(filesTopic(userId), (data) => {
      const update = FileProcessingUpdate.safeParse(data);
      if (update.success) send(update.data);
    });
  }

  /** One text message from the client (already bounded in size and depth by the transport). */
  receive(text: string): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      this.#error('INVALID_JSON', 'Messages are JSON objects such as {"type": "ping"}');
      return;
    }
    const message = StudioClientMessage.safeParse(parsed);
    if (!message.success) {
      this.#error(
        'VALIDATION_ERROR',
        'Expected {"type": "ping"}, {"type": "subscribe", "session_id": "..."} or {"type": "unsubscribe", "session_id": "..."}',
      );
      return;
    }
    const { send, userId } = this.#options;
    switch (message.data.type) {
      case 'ping':
        send({ type: 'pong' });
        return;
      case 'subscribe': {
        const sessionId = message.data.session_id;
        if (!this.#sessions.has(sessionId)) {
          if (this.#sessions.size >= maxStudioSubscriptions) {
            this.#error(
              'LIMIT_EXCEEDED',
              `A connection may follow at most ${maxStudioSubscriptions} sessions`,
            );
            return;
          }
          this.#sessions.set(
            sessionId,
            this.#follow(studioSessionTopic(userId, sessionId), (data) => send(data as StudioSessionUpdate)),
          );
        }
        // Answered once the bus listens, so every update after `subscribed` reaches the client.
        void this.#sessions.get(sessionId)?.then(() => {
          if (!this.#closed) send({ type: 'subscribed', session_id: sessionId });
        });
        return;
      }
      case 'unsubscribe': {
        const sessionId = message.data.session_id;
        const following = this.#sessions.get(sessionId);
        this.#sessions.delete(sessionId);
        void (following ?? Promise.resolve(undefined)).then((stop) => {
          stop?.();
          if (!this.#closed) send({ type: 'unsubscribed', session_id: sessionId });
        });
        return;
      }
    }
  }

  /** Binary messages are not part of the protocol. */
  receiveBinary(): void {
    this.#error('VALIDATION_ERROR', 'Binary messages are not accepted');
  }

  /** The socket closed: stop following everything. */
  close(): void {
    this.#closed = true;
    for (const following of [...this.#sessions.values(), this.#stopFiles]) {
      void following?.then((stop) => stop?.());
    }
    this.#sessions.clear();
  }

  #follow(topic: string, deliver: (data: unknown) => void): Promise<(() => void) | undefined> {
    return this.#options.bus
      .subscribe(topic, (message) => {
        if (!this.#closed) deliver(message.data);
      })
      .then(
        (stop) => {
          if (this.#closed) {
            stop();
            return undefined;
          }
          return stop;
        },
        (error: unknown) => {
          this.#options.logger.warn({ err: error, topic }, 'A studio socket could not follow a topic');
          this.#error('UNAVAILABLE', 'Live updates are unavailable right now; try again shortly');
          return undefined;
        },
      );
  }

  #error(code: string, message: string): void {
    if (!this.#closed) this.#options.send({ type: 'error', error: { code, message } });
  }
}
