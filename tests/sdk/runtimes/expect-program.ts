import { expect } from 'vitest';

/** What tests/sdk/runtimes/program.mjs answers, in every runtime alike. */
export const expectProgramResult = (
  seen: Record<string, unknown> & { upload: { steps: number; last: number } },
  path: { name: string; size: number; head: string } | null,
): void => {
  expect(seen).toEqual({
    chat: { replied: true, requestId: 'string' },
    stream: { status: 200, requestId: true, first: 'start', last: 'done', replied: true },
    chatkit: { status: 200, first: 'thread.created', done: true },
    raw: { status: 200, created: true },
    // The chat call's conversation and the two ChatKit threads, one page each.
    threads: 3,
    missing: { notFound: true, status: 404, requestId: 'string' },
    upload: { name: 'trip.txt', size: 200_000, steps: seen.upload.steps, last: seen.upload.last },
    attachment: { name: 'hello.txt', mime: 'text/plain' },
    path,
    log: { lines: true, levels: ['debug', 'error', 'info'], secretShown: false },
  });
  // Progress along the way, not only at the ends, to the whole multipart request.
  expect(seen.upload.steps).toBeGreaterThanOrEqual(4);
  expect(seen.upload.last).toBeGreaterThan(200_000);
};
