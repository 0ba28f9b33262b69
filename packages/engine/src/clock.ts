/** @module The clock port: what time the engine thinks it is, so tests can move it. */

/** A source of the current time. */
export interface Clock {
  now(): Date;
}

/** The system's clock. */
export const systemClock: Clock = { now: () => new Date() };
