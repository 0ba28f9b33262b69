import type { FrameSubscription } from '@cartrita/engine';
import type { Response } from 'express';
import { sseHeaders } from './sse.js';

/** Options of {@link writeFrames}. */
export interface WriteFramesOptions {
  /** A comment line is sent after this long without a frame, so proxies keep the connection. */
  heartbeatMs: number;
}

/**
 * Streams a reply's frames as `id: <response_id>:<seq>` + `data: <json>` (no `event:` line, so
 * `EventSource.onmessage` sees every frame), with heartbeat comments while the provider is silent.
 * Resolves when the reply ended or the client went away; a client that goes away only stops
 * listening: the reply runs on for a while so the client can resume.
 */
export const writeFrames = (res: Response, subscription: FrameSubscription, options: WriteFramesOptions) =>
  new Promise<void>((resolve) => {
    res.status(200).set(sseHeaders);
    res.flushHeaders();
    let heartbeat: ReturnType<typeof setInterval> | undefined;
    let lastWrite = Date.now();
    let stop = () => {};
    const finish = () => {
      clearInterval(heartbeat);
      stop();
      if (!res.writableEnded && !res.destroyed) res.end();
      resolve();
    };
    res.on('close', finish);
    heartbeat = setInterval(
      () => {
        if (Date.now() - lastWrite >= options.heartbeatMs && !res.destroyed) {
          res.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
      },
      Math.max(10, Math.min(options.heartbeatMs, 1_000)),
    );
    stop = subscription.listen(({ seq, data }) => {
      if (res.destroyed) return;
      res.write(`id: ${subscription.responseId}:${seq}\ndata: ${data}\n\n`);
      lastWrite = Date.now();
    }, finish);
  });
