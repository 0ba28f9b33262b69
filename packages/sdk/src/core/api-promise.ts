/**
 * @module The promise every JSON call returns: it resolves to the parsed, validated data, and also
 * hands out the raw `Response` (`asResponse()`) or both with the request id (`withResponse()`).
 */

/** What `withResponse()` resolves to. */
export interface WithResponse<T> {
  data: T;
  /** The response of the attempt that succeeded; its body has been read into `data`. */
  response: Response;
  /** The server's `X-Request-Id`, to quote when reporting a problem; `null` when it sent none. */
  requestId: string | null;
}

/** What a call resolves before its body is read: the response, and how to turn it into data. */
export interface RawCall<T> {
  response: Response;
  /** Reads and validates the body; called at most once. */
  parse(): Promise<T>;
  /** The response with its body unread, for callers that read it themselves. */
  unread(): Response;
}

/**
 * A `Promise` of a call's data with two more ways in: `await client.x()` gives the data,
 * `await client.x().withResponse()` gives `{data, response, requestId}`, and
 * `await client.x().asResponse()` gives the `Response` with its body unread. The request is sent at
 * once; its body is read only when the data is asked for.
 *
 * @example
 * ```ts
 * const { data: thread, requestId } = await client.conversations.get(id).withResponse();
 * const response = await client.conversations.get(id).asResponse(); // body unread
 * ```
 */
export class APIPromise<T> extends Promise<T> {
  readonly #raw: Promise<RawCall<T>>;
  #parsed: Promise<T> | undefined;

  constructor(raw: Promise<RawCall<T>>) {
    super((resolve) => {
      // The data is produced lazily by `then`; this base promise is never used.
      resolve(null as T);
    });
    this.#raw = raw;
    // A failed call is reported through whichever way its caller reads it, not as unhandled.
    raw.catch(() => {});
  }

  // Methods of a derived promise (`then` of `then`) make plain promises.
  static override get [Symbol.species]() {
    return Promise;
  }

  /** The data with the response it came in and the request id. */
  async withResponse(): Promise<WithResponse<T>> {
    const [data, raw] = await Promise.all([this.#data(), this.#raw]);
    return { data, response: raw.response, requestId: raw.response.headers.get('x-request-id') };
  }

  /**
   * A call of the same response whose data is `build(data)`: for a result made from the parsed data
   * (a stream that reads its first event before it is handed out) that keeps `withResponse()` and
   * `asResponse()`. `build` runs once, when the data is first asked for; `onFailure` hears of a call
   * or a `build` that failed, to release what was held for it.
   */
  mapData<U>(build: (data: T) => Promise<U> | U, onFailure?: (error: unknown) => void): APIPromise<U> {
    const failed = (error: unknown): never => {
      onFailure?.(error);
      throw error;
    };
    return new APIPromise(
      this.#raw.then(
        (raw) => ({
          response: raw.response,
          parse: async () => {
            try {
              return await build(await this.#data());
            } catch (error) {
              return failed(error);
            }
          },
          unread: raw.unread,
        }),
        failed,
      ),
    );
  }

  /** The response of the call with its body unread (the data is then not parsed). */
  async asResponse(): Promise<Response> {
    return (await this.#raw).unread();
  }

  // A promise subclass: `then` is what makes `await` read the data.
  // biome-ignore lint/suspicious/noThenProperty: this class is a promise by design
  override then<R1 = T, R2 = never>(
    onfulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.#data().then(onfulfilled, onrejected);
  }

  override catch<R = never>(onrejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<T | R> {
    return this.#data().catch(onrejected);
  }

  override finally(onfinally?: (() => void) | null): Promise<T> {
    return this.#data().finally(onfinally);
  }

  #data(): Promise<T> {
    this.#parsed ??= this.#raw.then((raw) => raw.parse());
    return this.#parsed;
  }
}
