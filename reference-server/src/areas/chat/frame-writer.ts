/** @module One writer for the frame logs of every live reply: their appends committed together. */
import { type Kysely, PostgresAdapter, sql } from 'kysely';
import type { Database } from '../../storage/schema.js';

/** A frame row of `chat_frames`. */
interface FrameRow {
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
 * Appends frames to `chat_frames` in group commits across replies: every append that arrives while a
 * commit is under way (or within the same turn of the event loop) joins the next transaction. Five
 * hundred replies streaming a frame every 10 ms then cost a few hundred transactions a second instead
 * of fifty thousand, and each append's promise still resolves only once its rows are committed, so a
 * listener never sees a frame the log lacks.
 */
export class FrameWriter {
  readonly #db: Kysely<Database>;
  readonly #postgres: boolean;
  #queue: PendingAppend[] = [];
  #running = false;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  }

  /** Resolves once the frames are committed; rejects when they could not be. */
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

  /**
   * One statement for any number of rows: the rows travel as one JSON parameter that the database
   * unpacks, so the SQL is the same every time (prepared once) and building it costs nothing per row.
   */
  async #insert(rows: FrameRow[]): Promise<void> {
    const json = JSON.stringify(rows.map((row) => [row.response_id, row.seq, row.data]));
    const query = this.#postgres
      ? sql`insert into chat_frames (response_id, seq, data)
            select f ->> 0, (f ->> 1)::integer, f ->> 2 from jsonb_array_elements(${json}::jsonb) as f`
      : sql`insert into chat_frames (response_id, seq, data)
            select value ->> 0, value ->> 1, value ->> 2 from json_each(${json})`;
    await query.execute(this.#db);
  }
}
