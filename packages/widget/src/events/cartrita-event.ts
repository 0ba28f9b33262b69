/**
 * The base of every `cartrita-*` event: it bubbles, crosses shadow roots and carries a readonly
 * `detail`.
 */
export class CartritaEvent<T> extends Event {
  /** What happened. */
  readonly detail: T;

  constructor(type: string, detail: T, cancelable = false) {
    super(type, { bubbles: true, composed: true, cancelable });
    this.detail = detail;
  }
}
