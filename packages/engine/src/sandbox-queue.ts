/**
 * @module The queue in front of a sandbox: calls wait here for a free slot, taken in turn by owner
 * (round robin), so one session's flood of calls waits behind its own calls and not in front of
 * everyone else's.
 */

/** A bounded queue that serves its owners in turn. */
export class FairQueue<T> {
  readonly #byOwner = new Map<string, T[]>();
  #size = 0;

  /**
   * @param limit most items waiting in all;
   * @param perOwner most items one owner may have waiting.
   */
  constructor(
    readonly limit: number,
    readonly perOwner: number = limit,
  ) {}

  get size(): number {
    return this.#size;
  }

  /** Adds an item at the back of its owner's line; false when a limit is reached. */
  push(owner: string, item: T): boolean {
    const line = this.#byOwner.get(owner);
    if (this.#size >= this.limit || (line?.length ?? 0) >= this.perOwner) return false;
    if (line) line.push(item);
    else this.#byOwner.set(owner, [item]);
    this.#size += 1;
    return true;
  }

  /** Takes the next item: the first of the owner whose turn it is, who then goes to the back. */
  shift(): T | undefined {
    const next = this.#byOwner.entries().next();
    if (next.done) return undefined;
    const [owner, line] = next.value;
    const item = line.shift() as T;
    this.#byOwner.delete(owner);
    if (line.length > 0) this.#byOwner.set(owner, line);
    this.#size -= 1;
    return item;
  }

  /** Takes an item out of its owner's line, wherever it waits; false when it is not waiting. */
  remove(owner: string, item: T): boolean {
    const line = this.#byOwner.get(owner);
    const index = line?.indexOf(item) ?? -1;
    if (!line || index < 0) return false;
    line.splice(index, 1);
    if (line.length === 0) this.#byOwner.delete(owner);
    this.#size -= 1;
    return true;
  }

  /** Empties the queue, answering what it held. */
  drain(): T[] {
    const items = [...this.#byOwner.values()].flat();
    this.#byOwner.clear();
    this.#size = 0;
    return items;
  }
}
