/** @module Group commits of frame rows: the appends of every live reply committed together. */

/** A frame row of the log. */
export interface FrameRow {
  response_id: string;
  seq: number;
  data: string;
}

interface PendingAppend {
  rows: FrameRow[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Appends frame rows in group commits across replies: every append that arrives while a commit is
 * under way (or within the same turn of the event loop) joins the next statement. Five hundred replies
 * streaming a frame every 10 ms then cost a few hundred statements a second instead of fifty thousand,
 * and each append's promise still resolves only once its rows are committed, so a listener never sees
 * a frame the log lacks.
 */
export class FrameWriter {
  readonly #insert: (rows: FrameRow[]) => Promise<void>;
  #queue: PendingAppend[] = [];
  #running = false;

  /** `insert` writes any number of rows in one statement, all or none. */
  constructor(insert: (rows: FrameRow[]) => Promise<void>) {
    this.#insert = insert;
  }

  /** Resolves once the rows are committed; rejects when they could not be. */
  append(rows: FrameRow[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ rows, resolve, reject });
      if (this.#running) return;
      this.#running = true;
      // Let the appends of this turn of the event loop gather first.
      setImmediate(() => void this.#drain());
    });
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue;
      this.#queue = [];
      try {
        await this.#insert(batch.flatMap((append) => append.rows));
        for (const append of batch) append.resolve();
      } catch {
        // One reply's bad rows must not fail the others: retry each append on its own.
        for (const append of batch) {
          await this.#insert(append.rows).then(append.resolve, append.reject);
        }
      }
    }
    this.#running = false;
  }
}

/** The rows as one JSON parameter (`[[response_id, seq, data], …]`) that the database unpacks. */
export const rowsParameter = (rows: FrameRow[]): string =>
  JSON.stringify(rows.map((row) => [row.response_id, row.seq, row.data]));
