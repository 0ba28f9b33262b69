/**
 * @module Paged lists: a page keeps the fields the server sent and is also an async iterable over every
 * item of every page after it, fetching each next page as the loop reaches it.
 */
import type { StandardSchemaV1, StandardSchemaV1InferOutput } from 'ky';
import { APIPromise, type RawCall } from './api-promise.js';
import type { SchemaRequestOptions, Transport } from './request.js';

/** What every page can do. */
export interface PageMethods<Item> extends AsyncIterable<Item> {
  /** Whether another page follows this one. */
  hasNextPage(): boolean;
  /** The next page; rejects with a `RangeError` when there is none (check {@link hasNextPage}). */
  getNextPage(): Promise<this>;
  /** The items of this page. */
  getPaginatedItems(): Item[];
  /** This page and every page after it, fetched one at a time. */
  iterPages(): AsyncGenerator<this>;
}

/** How a list is paged: where its items are, and the request for the page after a page. */
export interface PageSpec<Body extends object, Item> {
  items(body: Body): Item[];
  /** The call that fetches the page after `body`, or `undefined` when it was the last. */
  next(body: Body): (() => PagePromise<Body, Item>) | undefined;
}

/**
 * How a `limit`/`offset` list pages: its items under `key`, and the next page `offset` items on, until
 * `total`. `fetch` asks for a page at an offset.
 */
export const offsetPages = <
  Key extends string,
  Item,
  Body extends { [K in Key]: Item[] } & { total: number },
>(
  key: Key,
  offset: number | string | undefined,
  fetch: (offset: number) => PagePromise<Body, Item>,
): PageSpec<Body, Item> => ({
  items: (body) => body[key],
  next: (body) => {
    const next = Number(offset ?? 0) + body[key].length;
    return body[key].length > 0 && next < body.total ? () => fetch(next) : undefined;
  },
});

/** A page: the list's fields as the server sent them, with {@link PageMethods}. */
export type Page<Body extends object, Item> = Body & PageMethods<Item>;

/** Makes a page of `body`. */
export const toPage = <Body extends object, Item>(
  body: Body,
  spec: PageSpec<Body, Item>,
): Page<Body, Item> => {
  const methods: PageMethods<Item> = {
    hasNextPage: () => spec.next(body) !== undefined,
    getNextPage() {
      const next = spec.next(body);
      if (!next) return Promise.reject(new RangeError('There is no next page: check hasNextPage() first'));
      return next() as unknown as Promise<never>;
    },
    getPaginatedItems: () => spec.items(body),
    async *iterPages() {
      let page: Page<Body, Item> = self;
      for (;;) {
        yield page as never;
        if (!page.hasNextPage()) return;
        page = (await page.getNextPage()) as Page<Body, Item>;
      }
    },
    async *[Symbol.asyncIterator]() {
      for await (const page of self.iterPages()) yield* (page as Page<Body, Item>).getPaginatedItems();
    },
  };
  // The methods are not enumerable, so the page reads (and compares, and serialises) as the body.
  const self = Object.defineProperties(
    { ...body },
    Object.fromEntries(
      Object.entries(Object.getOwnPropertyDescriptors(methods)).map(([key, descriptor]) => [
        key,
        { ...descriptor, enumerable: false },
      ]),
    ),
  ) as Page<Body, Item>;
  Object.defineProperty(self, Symbol.asyncIterator, {
    value: methods[Symbol.asyncIterator],
    enumerable: false,
  });
  return self;
};

/**
 * The promise a paged list returns: `await` gives the first page; `for await (const item of ...)`
 * goes through every item of every page.
 *
 * @example
 * ```ts
 * for await (const thread of client.chatkit.threads.list({ limit: 50 })) console.log(thread.id);
 * const page = await client.chatkit.threads.list();
 * if (page.hasNextPage()) console.log((await page.getNextPage()).data.length);
 * ```
 */
export class PagePromise<Body extends object, Item>
  extends APIPromise<Page<Body, Item>>
  implements AsyncIterable<Item>
{
  constructor(raw: Promise<RawCall<Body>>, spec: PageSpec<Body, Item>) {
    super(
      raw.then((call) => ({
        response: call.response,
        unread: call.unread,
        parse: async () => toPage(await call.parse(), spec),
      })),
    );
  }

  async *[Symbol.asyncIterator](): AsyncIterator<Item> {
    yield* await this;
  }
}

/**
 * Sends a paged list: like `transport.request()`, and the page it resolves to is also an async iterable
 * over every item of the pages after it, which `spec` says how to fetch. A function rather than a
 * method of the transport, so that a bundle without paged lists leaves paging out.
 *
 * @example
 * ```ts
 * const events = requestPage(transport, { method: 'GET', path, schema: EventList },
 *   offsetPages('events', 0, (offset) => listFrom(offset)));
 * ```
 */
export const requestPage = <Schema extends StandardSchemaV1, Item>(
  transport: Transport,
  options: SchemaRequestOptions<Schema>,
  spec: PageSpec<StandardSchemaV1InferOutput<Schema> & object, Item>,
): PagePromise<StandardSchemaV1InferOutput<Schema> & object, Item> =>
  new PagePromise(
    transport.call(options) as Promise<RawCall<StandardSchemaV1InferOutput<Schema> & object>>,
    spec,
  );
