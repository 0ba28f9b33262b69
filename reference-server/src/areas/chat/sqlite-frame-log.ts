/** @module The frame log of live replies on SQLite: appended in arrival order, filed by reply when it ends. */
import type { ChatResponseStatus, StoredFrame } from '@cartrita/engine';
import { type Kysely, sql } from 'kysely';
import { nowIso } from '../../storage/codec.js';
import type { Database } from '../../storage/schema.js';
import { type FrameRow, FrameWriter, rowsParameter } from './frame-writer.js';

/** The most rows one trimming statement deletes, so a long backlog never holds the event loop. */
const TRIM_CHUNK = 20_000;

/** What the log knows of a reply whose frames it holds and has not filed yet. */
interface OpenReply {
  /** The last sequence number appended: the next append must go on from it. */
  lastSeq: number;
  /** No row of the reply has a smaller id. */
  firstId: number;
}

/**
 * The frames of live replies on SQLite. They are appended to `chat_frame_log` in arrival order, with
 * no index but the row id, and filed into `chat_frames` (keyed by reply and sequence number) in one
 * statement when their reply ends. Rows that every open reply has left behind are trimmed from the
 * head of the log.
 *
 * Why not append to `chat_frames` directly: SQLite writes whole pages to its write-ahead log. Keyed by
 * reply, the frames of 500 replies streaming at once land on 500 different pages, and every group
 * commit rewrites one page per reply: about 15 µs of CPU per frame, more than the rest of the server
 * spends on it. In arrival order they fill one page after another (about 1.5 µs a frame), and filed
 * when the reply ends, a reply's frames fill their own pages once.
 *
 * Every frame is still committed before anyone sees it: a process killed mid-reply leaves the frames in
 * the log, and the next process files them before it reads anything ({@link SqliteFrameLog.ready}).
 * This assumes one server process per SQLite file, which is how SQLite is served (scale-out runs on
 * PostgreSQL).
 */
export class SqliteFrameLog {
  readonly #db: Kysely<Database>;
  readonly #writer: FrameWriter;
  readonly #open = new Map<string, OpenReply>();
  /** The largest row id committed so far. */
  #lastId = 0;
  /** Every row up to this id is gone. */
  #trimmedTo = 0;
  #trimming = false;
  #filed: Promise<void> | undefined;

  constructor(db: Kysely<Database>) {
    this.#db = db;
    this.#writer = new FrameWriter((rows) => this.#insert(rows));
  }

  /**
   * Resolves once the rows a previous process left in the log are filed: done on first use, so that a
   * store opened and closed without use never touches the log. A failure is tried again next time.
   */
  get ready(): Promise<void> {
    this.#filed ??= this.#fileLeftovers().catch((error: unknown) => {
      this.#filed = undefined;
      throw error;
    });
    return this.#filed;
  }

  /**
   * Appends frames of a reply. They must go on from its last frame (a repeated or older sequence
   * number is refused, as the primary key of `chat_frames` would) and the reply must exist.
   */
  async append(responseId: string, frames: readonly StoredFrame[]): Promise<void> {
    await this.ready;
    const reply = this.#open.get(responseId) ?? (await this.#opened(responseId));
    let last = reply.lastSeq;
    for (const frame of frames) {
      if (frame.seq <= last) throw new Error(`Frame ${frame.seq} of reply ${responseId} is already logged`);
      last = frame.seq;
    }
    reply.lastSeq = last;
    await this.#writer.append(frames.map((frame) => ({ response_id: responseId, ...frame })));
  }

  /** The reply's frames still in the log (none once it is filed), after `afterSeq`, in order. */
  async unfiled(responseId: string, afterSeq: number): Promise<StoredFrame[]> {
    await this.ready;
    if (!this.#open.has(responseId)) return [];
    const rows = await this.#db
      .selectFrom('chat_frame_log')
      .select(['seq', 'data'])
      .where('response_id', '=', responseId)
      .where('seq', '>', afterSeq)
      .where(({ exists, selectFrom }) =>
        exists(selectFrom('chat_responses').select('id').where('id', '=', responseId)),
      )
      .orderBy('seq')
      .execute();
    return rows.map((row) => ({ seq: Number(row.seq), data: row.data }));
  }

  /**
   * Files an ended reply's frames (all of them, in order) under the reply and records its status, in
   * one transaction; then trims what no open reply needs any more. Frames filed before (by a process
   * that stopped) are kept as they are.
   */
  async finish(
    responseId: string,
    status: ChatResponseStatus,
    frames: readonly StoredFrame[],
  ): Promise<void> {
    await this.ready;
    const rows = frames.map((frame) => ({ response_id: responseId, ...frame }));
    await this.#db.transaction().execute(async (trx) => {
      if (rows.length > 0) {
        await sql`insert or ignore into chat_frames (response_id, seq, data)
          select value ->> 0, value ->> 1, value ->> 2 from json_each(${rowsParameter(rows)})
          where exists (select 1 from chat_responses where id = ${responseId})`.execute(trx);
      }
      await trx
        .updateTable('chat_responses')
        .set({ status, updated_at: nowIso() })
        .where('id', '=', responseId)
        .execute();
    });
    this.#open.delete(responseId);
    this.#trim();
  }

  /** Starts tracking a reply on its first append: it must exist, and may have frames filed already. */
  async #opened(responseId: string): Promise<OpenReply> {
    const { rows } = await sql<{ last_seq: number | null }>`
      select (select max(seq) from chat_frames where response_id = ${responseId}) as last_seq
      from chat_responses where id = ${responseId}`.execute(this.#db);
    const row = rows[0];
    if (!row) throw new Error(`Reply ${responseId} does not exist`);
    // Another append of the same reply may have opened it meanwhile.
    const open = this.#open.get(responseId);
    if (open) return open;
    const reply = { lastSeq: Number(row.last_seq ?? 0), firstId: this.#lastId + 1 };
    this.#open.set(responseId, reply);
    return reply;
  }

  async #insert(rows: FrameRow[]): Promise<void> {
    const result = await sql`insert into chat_frame_log (response_id, seq, data)
      select value ->> 0, value ->> 1, value ->> 2 from json_each(${rowsParameter(rows)})`.execute(this.#db);
    this.#lastId = Math.max(this.#lastId, Number(result.insertId ?? 0));
  }

  /** Deletes the head of the log that every open reply has left behind, a chunk at a time. */
  #trim(): void {
    if (this.#trimming) return;
    let keepFrom = this.#lastId + 1;
    for (const reply of this.#open.values()) keepFrom = Math.min(keepFrom, reply.firstId);
    if (keepFrom - 1 <= this.#trimmedTo) return;
    this.#trimming = true;
    const upTo = Math.min(keepFrom - 1, this.#trimmedTo + TRIM_CHUNK);
    this.#db
      .deleteFrom('chat_frame_log')
      .where('id', '<=', upTo)
      .execute()
      .then(
        () => {
          this.#trimming = false;
          this.#trimmedTo = upTo;
          if (upTo < keepFrom - 1) setImmediate(() => this.#trim());
        },
        // The rows stay (the database may be closing); the next reply that ends tries again.
        () => {
          this.#trimming = false;
        },
      );
  }

  /** Files what a previous process left in the log (it stopped mid-reply), then empties the log. */
  async #fileLeftovers(): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await sql`insert or ignore into chat_frames (response_id, seq, data)
        select l.response_id, l.seq, l.data from chat_frame_log as l
        where exists (select 1 from chat_responses as r where r.id = l.response_id)
        order by l.response_id, l.seq`.execute(trx);
      const last = await trx
        .selectFrom('chat_frame_log')
        .select((eb) => eb.fn.max('id').as('id'))
        .executeTakeFirst();
      await trx.deleteFrom('chat_frame_log').execute();
      this.#lastId = Number(last?.id ?? 0);
      this.#trimmedTo = this.#lastId;
    });
  }
}
