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
export interface OutboundOptions {
  /** Above this many buffered bytes, messages wait here instead of in the socket. Default 256 KiB. */
  highWaterMark?: number;
  /** The most bytes that may wait here; beyond it `onOverflow` is called. Default 4 MiB. */
  maxQueuedBytes?: number;
  /** How often a congested socket is checked for room, in milliseconds. Default 5. */
  pollMs?: number;
  /** Called once when the client reads so slowly that the queue overflows: drop the connection. */
  onOverflow: () => void;
}

const OPEN = 1;

/** Rough size of a message on the wire, for the queue's budget. */
const sizeOf = (message: WsServerMessage): number =>
  message.type === 'chunk' ? message.data.content.length + 96 : 256;

/**
 * Sends server messages to one socket. While the socket's buffer is below the high-water mark,
 * messages go straight out. Above it, they wait here in order, and consecutive `chunk`s of the same
 * chat session are merged into one, so a slow reader costs at most the reply's text, not one
 * buffered frame per token; the queue is drained as the socket's buffer empties. A reader so slow
 * that even that exceeds `maxQueuedBytes` is reported through `onOverflow`.
 */
export class Outbound {
  readonly #socket: OutboundSocket;
  readonly #highWaterMark: number;
  readonly #maxQueuedBytes: number;
  readonly #pollMs: number;
  readonly #onOverflow: () => void;
  readonly #queue: WsServerMessage[] = [];
  #queuedBytes = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #closed = false;

  constructor(socket: OutboundSocket, options: OutboundOptions) {
    this.#socket = socket;
    this.#highWaterMark = options.highWaterMark ?? 256 * 1024;
    this.#maxQueuedBytes = options.maxQueuedBytes ?? 4 * 1024 * 1024;
    this.#pollMs = options.pollMs ?? 5;
    this.#onOverflow = options.onOverflow;
  }

  /** Messages waiting for room in the socket. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Sends a message now, or queues it behind the ones waiting. */
  send(message: WsServerMessage): void {
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

  #enqueue(message: WsServerMessage): void {
    const last = this.#queue.at(-1);
    if (
      message.type === 'chunk' &&
      last?.type === 'chunk' &&
      last.data.chat_session_id === message.data.chat_session_id
    ) {
      last.data.content += message.data.content;
    } else if (message.type === 'pong' && last?.type === 'pong') {
      // A client that pings faster than it reads gets one answer for the lot.
      return;
    } else {
      this.#queue.push(message.type === 'chunk' ? { ...message, data: { ...message.data } } : message);
    }
    this.#queuedBytes += sizeOf(message);
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
      const message = this.#queue.shift() as WsServerMessage;
      this.#queuedBytes = Math.max(0, this.#queuedBytes - sizeOf(message));
      this.#socket.send(JSON.stringify(message));
    }
    if (this.#queue.length === 0) {
      clearInterval(this.#timer);
      this.#timer = undefined;
      this.#queuedBytes = 0;
    }
  }
}
