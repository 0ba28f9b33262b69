import { once } from 'node:events';
import type { Response } from 'express';

/**
 * Headers of every event stream: no caching, no proxy buffering. `Connection` is left to Node, which
 * keeps the connection alive unless the client asked to close it once the stream ends.
 */
export const sseHeaders = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  'X-Accel-Buffering': 'no',
} as const;

/**
 * Writes events as `data: <compact JSON>\n\n` frames, the exact framing of the official ChatKit
 * server (no `event:`, `id:` or comments), respecting back-pressure. When the client goes away the
 * events are still drained, so the producer can finish its bookkeeping (saving a partial reply).
 */
export const writeSse = async (res: Response, events: AsyncIterable<unknown>): Promise<void> => {
  res.status(200).set(sseHeaders);
  res.flushHeaders();
  const closed = once(res, 'close');
  for await (const event of events) {
    if (res.destroyed || res.writableEnded) continue;
    if (!res.write(`data: ${JSON.stringify(event)}\n\n`)) {
      await Promise.race([once(res, 'drain'), closed]);
    }
  }
  if (!res.destroyed && !res.writableEnded) res.end();
};
