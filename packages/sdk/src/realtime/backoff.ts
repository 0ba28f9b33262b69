/** When and how often {@link RealtimeChat} reconnects after the connection drops. */
export interface ReconnectOptions {
  /**
   * Attempts in a row that may fail (no connection opened) before the client gives up and closes.
   * `Infinity` never gives up. Default: 10.
   */
  maxAttempts?: number | undefined;
  /** The wait before the first attempt, in milliseconds; it doubles with each failure. Default: 500. */
  initialDelayMs?: number | undefined;
  /** The longest wait between attempts, in milliseconds. Default: 10 000. */
  maxDelayMs?: number | undefined;
}

/** The reconnect defaults. */
export const DEFAULT_RECONNECT: Readonly<Required<ReconnectOptions>> = Object.freeze({
  maxAttempts: 10,
  initialDelayMs: 500,
  maxDelayMs: 10_000,
});

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): exponential backoff,
 * `initialDelayMs * 2^attempt` capped at `maxDelayMs`, with "equal jitter" (a random point in the
 * upper half of that step) so that clients dropped together do not come back together.
 */
export const reconnectDelay = (
  attempt: number,
  options: Pick<Required<ReconnectOptions>, 'initialDelayMs' | 'maxDelayMs'> = DEFAULT_RECONNECT,
  random: () => number = Math.random,
): number => {
  const step = Math.min(options.initialDelayMs * 2 ** Math.max(0, attempt), options.maxDelayMs);
  return Math.round(step / 2 + random() * (step / 2));
};
