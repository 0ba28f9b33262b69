/** @module Sending to one WebSocket without buffering without bound when the client reads slowly. */
import type { WsServerMessage } from '@cartrita/contracts';

/** The part of a `ws` WebSocket the sender uses. */
export interface OutboundSocket {
  /** 1 while open. */
  readonly readyState: number;
  /** Bytes handed to `send` and not yet written to the network. */
  readonly bufferedAmount: number;
  send(data: string): void;
}

/** Options of {@link Outbound}. */
export interface OutboundOptions<T = WsServerMessage> {
  /** Above this many buffered bytes, messages wait here instead of in the socket. Default 256 KiB. */
  highWaterMark?: number;
  /** The most bytes that may wait here; beyond it `onOverflow` is called. Default 4 MiB. */
  maxQueuedBytes?: number;
  /** How often a congested socket is checked for room, in milliseconds. Default 5. */
  pollMs?: number;
  /** Called once when the client reads so slowly that the queue overflows: drop the connection. */
  onOverflow: () => void;
  /**
   * Joins a message to the last one waiting when the two can travel as one (the merged message),
   * or `undefined`. Default: `/ws/chat`'s rules (chunks of one chat, repeated pongs).
   */
  coalesce?: (last: T, next: T) => T | undefined;
  /** Rough size of a message on the wire, for the queue's budget. Default: `/ws/chat`'s estimate. */
  sizeOf?: (message: T) => number;
}

const OPEN = 1;

/** Rough size of a `/ws/chat` message on the wire. */
const chatSizeOf = (message: WsServerMessage): number =>
  message.type === 'chunk' ? message.data.content.length + 96 : 256;

/**
 * `/ws/chat`'s joining rule: consecutive chunks of one chat become one chunk, and a client that pings
 * faster than it reads gets one pong for the lot.
 */
const chatCoalesce = (last: WsServerMessage, next: WsServerMessage): WsServerMessage | undefined => {
  if (
    next.type === 'chunk' &&
    last.type === 'chunk' &&
    last.data.chat_session_id === next.data.chat_session_id
  ) {
    return { ...last, data: { ...last.data, content: last.data.content + next.data.content } };
  }
  if (next.type === 'pong' && last.type === 'pong') return last;
  return undefined;
};

/**
 * Sends server messages to one socket. While the socket's buffer is below the high-water mark,
 * messages go straight out. Above it, they wait here in order, and consecutive `chunk`s of the same
 * chat session are merged into one, so a slow reader costs at most the reply's text, not one
 * buffered frame per token; the queue is drained as the socket's buffer empties. A reader so slow
 * that even that exceeds `maxQueuedBytes` is reported through `onOverflow`.
 */
export class Outbound<T = WsServerMessage> {
  readonly #socket: OutboundSocket;
  readonly #highWaterMark: number;
  readonly #maxQueuedBytes: number;
  readonly #pollMs: number;
  readonly #onOverflow: () => void;
  readonly #coalesce: (last: T, next: T) => T | undefined;
  readonly #sizeOf: (message: T) => number;
  readonly #queue: T[] = [];
  #queuedBytes = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(socket: OutboundSocket, options: OutboundOptions<T>) {
    this.#socket = socket;
    this.#highWaterMark = options.highWaterMark ?? 256 * 1024;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.#pollMs = options.pollMs ?? 5;
    this.#onOverflow = options.onOverflow;
    this.#coalesce = options.coalesce ?? (chatCoalesce as unknown as (last: T, next: T) => T | undefined);
    this.#sizeOf = options.sizeOf ?? (chatSizeOf as unknown as (message: T) => number);
  }

  /** Messages waiting for room in the socket. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sends a message now, or queues it behind the ones waiting. */
  send(message: T): void {
    if (this.#closed || this.#socket.readyState !== OPEN) return;
    if (this.#queue.length === 0 && this.#socket.bufferedAmount < this.#highWaterMark) {
      this.#socket.send(JSON.stringify(message));
      return;
    }
    this.#enqueue(message);
  }

  /** Drops what is queued and stops watching the socket. */
  close(): void {
    this.#closed = true;
    this.#queue.length = 0;
    this.#queuedBytes = 0;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #enqueue(message: T): void {
    const last = this.#queue.at(-1);
    const merged = last === undefined ? undefined : this.#coalesce(last, message);
    if (merged === last && last !== undefined) return;
    if (merged === undefined) this.#queue.push(message);
    else this.#queue[this.#queue.length - 1] = merged;
    this.#queuedBytes += this.#sizeOf(message);
    if (this.#queuedBytes > this.#maxQueuedBytes) {
      this.close();
      this.#onOverflow();
      return;
    }
    this.#timer ??= setInterval(() => this.#drain(), this.#pollMs);
  }

  #drain(): void {
    if (this.#socket.readyState !== OPEN) {
      this.close();
      return;
    }
    while (this.#queue.length > 0 && this.#socket.bufferedAmount < this.#highWaterMark) {
      const message = this.#queue.shift() as T;
      this.#queuedBytes = Math.max(0, this.#queuedBytes - this.#sizeOf(message));
      this.#socket.send(JSON.stringify(message));
    }
    if (this.#queue.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#queuedBytes = 0;
    }
  }
}
