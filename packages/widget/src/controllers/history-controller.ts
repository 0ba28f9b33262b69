/** @module The list of the user's threads: pages, rename and delete. */
import type { ChatKit } from '@cartrita/sdk/chatkit';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { type ThreadMeta, threadMeta } from './thread-model.js';

/** Threads per page of the history list. */
export const HISTORY_PAGE_SIZE = 20;

/**
 * Lists the session user's threads, newest first, a page at a time (`threads.list` with its `after`
 * cursor), and renames (`threads.update`) or deletes (`threads.delete`) them. Requests stop when the
 * host disconnects.
 */
export class HistoryController implements ReactiveController {
  /** The threads loaded so far. */
  threads: ThreadMeta[] = [];
  /** More threads can be loaded. */
  hasMore = false;
  /** A page is loading. */
  loading = false;
  /** The last request failed. */
  failed = false;

  readonly #host: ReactiveControllerHost;
  readonly #client: () => ChatKit | undefined;
  #after: string | undefined;
  #life = new AbortController();

  constructor(host: ReactiveControllerHost, client: () => ChatKit | undefined) {
    this.#host = host;
    this.#client = client;
    host.addController(this);
  }

  hostConnected(): void {
    if (this.#life.signal.aborted) this.#life = new AbortController();
  }

  hostDisconnected(): void {
    this.#life.abort();
  }

  /** Loads the first page again (`more = false`) or the next one. */
  async load(more = false): Promise<void> {
    const client = this.#client();
    if (!client || this.loading) return;
    this.loading = true;
    this.failed = false;
    this.#host.requestUpdate();
    try {
      const page = await client.threads.list(
        { limit: HISTORY_PAGE_SIZE, order: 'desc', after: more ? this.#after : undefined },
        { signal: this.#life.signal },
      );
      const rows = page.data.map(threadMeta);
      this.threads = more ? [...this.threads, ...rows] : rows;
      this.hasMore = page.has_more;
      this.#after = page.after ?? rows.at(-1)?.id;
    } catch {
      this.failed = true;
    }
    this.loading = false;
    this.#host.requestUpdate();
  }

  /** Renames a thread; returns whether it worked. */
  rename(threadId: string, title: string): Promise<boolean> {
    return this.#change(async (client, signal) => {
      this.upsert(threadMeta(await client.threads.update({ thread_id: threadId, title }, { signal })));
    });
  }

  /** Deletes a thread; returns whether it worked. */
  remove(threadId: string): Promise<boolean> {
    return this.#change(async (client, signal) => {
      await client.threads.delete({ thread_id: threadId }, { signal });
      this.threads = this.threads.filter((t) => t.id !== threadId);
    });
  }

  /** Shows a thread's new title or state without a request (after a stream updated it). */
  upsert(thread: ThreadMeta): void {
    const index = this.threads.findIndex((t) => t.id === thread.id);
    this.threads = index === -1 ? [thread, ...this.threads] : this.threads.with(index, thread);
    this.#host.requestUpdate();
  }

  async #change(run: (client: ChatKit, signal: AbortSignal) => Promise<void>): Promise<boolean> {
    const client = this.#client();
    if (!client) return false;
    try {
      await run(client, this.#life.signal);
      this.failed = false;
    } catch {
      this.failed = true;
    }
    this.#host.requestUpdate();
    return !this.failed;
  }
}
