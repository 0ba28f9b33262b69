/** @module A string that never shows up in logs, JSON or `console.log`. */

const inspect = Symbol.for('nodejs.util.inspect.custom');

/**
 * Wraps a secret configuration value so that logging or serialising the configuration cannot leak it:
 * `JSON.stringify`, `String()` and `util.inspect` all print `[REDACTED]`. Call {@link Secret.reveal}
 * at the one place that needs the value.
 *
 * @example
 * const secret = new Secret(process.env.API_KEY_SECRET!);
 * JSON.stringify({ secret }); // '{"secret":"[REDACTED]"}'
 * sign(data, secret.reveal());
 */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself. */
  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return '[REDACTED]';
  }

  toString(): string {
    return '[REDACTED]';
  }

  [inspect](): string {
    return 'Secret([REDACTED])';
  }
}
