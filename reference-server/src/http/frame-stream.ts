import type { FrameSubscription } from '@cartrita/engine';
import type { Response } from 'express';
import { sseHeaders } from './sse.js';

/** Options of {@link writeFrames}. */
export interface WriteFramesOptions {
  /** A comment line is sent after this long without a frame, so proxies keep the connection. */
  heartbeatMs: number;
}

/** An open stream, as the heartbeat sees it. */
interface OpenStream {
  res: Response;
  lastWrite: number;
}

/**
 * The keep-alive comments of every open stream with the same heartbeat, sent by one timer: with
 * thousands of streams open, a timer each would wake the process thousands of times a second.
 */
class Heartbeat {
  readonly #streams = new Set<OpenStream>();
  readonly #heartbeatMs: number;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(heartbeatMs: number) {
    this.#heartbeatMs = heartbeatMs;
  }

  add(stream: OpenStream): void {
    this.#streams.add(stream);
    this.#timer ??= setInterval(() => this.#beat(), Math.max(10, Math.min(this.#heartbeatMs, 1_000)));
  }

  delete(stream: OpenStream): void {
    this.#streams.delete(stream);
    if (this.#streams.size > 0) return;
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #beat(): void {
    const now = Date.now();
    for (const stream of this.#streams) {
      if (now - stream.lastWrite < this.#heartbeatMs || stream.res.destroyed) continue;
      stream.res.write(': keep-alive\n\n');
      stream.lastWrite = now;
    }
  }
}

const heartbeats = new Map<number, Heartbeat>();

/**
 * Streams a reply's frames as `id: <response_id>:<seq>` + `data: <json>` (no `event:` line, so
 * `EventSource.onmessage` sees every frame), with heartbeat comments while the provider is silent.
 * Frames that become durable together (one commit of the log) go out in one write. Resolves when the
 * reply ended or the client went away; a client that goes away only stops listening: the reply runs
 * on for a while so the client can resume.
 */
export const writeFrames = (res: Response, subscription: FrameSubscription, options: WriteFramesOptions) =>
  new Promise<void>((resolve) => {
    res.status(200).set(sseHeaders);
    res.flushHeaders();
    let heartbeat = heartbeats.get(options.heartbeatMs);
    if (!heartbeat) {
      heartbeat = new Heartbeat(options.heartbeatMs);
      heartbeats.set(options.heartbeatMs, heartbeat);
    }
    const open: OpenStream = { res, lastWrite: Date.now() };
    heartbeat.add(open);
    let pending = '';
    const flush = () => {
      if (pending === '' || res.destroyed) return;
      res.write(pending);
      pending = '';
      open.lastWrite = Date.now();
    };
    let stop = () => {};
    const finish = () => {
      heartbeat.delete(open);
      stop();
      flush();
      if (!res.writableEnded && !res.destroyed) res.end();
      resolve();
    };
    res.on('close', finish);
    stop = subscription.listen(({ seq, data }) => {
      if (res.destroyed) return;
      // Frames delivered in the same tick (a batch of the log) are written together.
      if (pending === '') queueMicrotask(flush);
      pending += `id: ${subscription.responseId}:${seq}\ndata: ${data}\n\n`;
    }, finish);
  });
