/**
 * @module The event bus port: a message published once reaches every subscriber of its topic, in this
 * process or (with a shared bus) in every instance, and a subscriber that comes back after a gap can
 * ask for what it missed.
 */

/** A message as the bus delivers it. */
export interface BusMessage<T = unknown> {
  /** The bus's id of the message: increasing within a topic, usable as a resume point. */
  id: string;
  topic: string;
  data: T;
}

/**
 * A subscriber of a topic. What it throws is reported (the bus's `onError` or logger) and delivery
 * goes on, to it and to the others.
 */
export type BusListener<T = unknown> = (message: BusMessage<T>) => void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /**
   * Deliver first the retained messages published after this id (as many as the bus keeps), then
   * the live ones, with none missed or repeated in between. Must be a bus id (`<ms>-<seq>`, see
   * {@link isBusId}); subscribing with any other string rejects with a `TypeError`. Without it, the
   * subscriber gets every message published after `subscribe` was called.
   */
  after?: string;
}

/** Options of {@link EventBus.publish}. */
export interface PublishOptions {
  /**
   * `false` for a message only its live subscribers need (nobody resumes the topic with `after`): the
   * in-process bus then does not keep it. A shared bus may keep it anyway, to order it with the
   * others. Default `true`.
   */
  replay?: boolean;
}

/**
 * Delivers messages by topic. The in-process bus serves one process; a shared one (Redis: pub/sub
 * for fan-out, streams for replay) makes several instances deliver to each other's subscribers.
 */
export interface EventBus {
  /**
   * Delivers `data` to every subscriber of `topic`, here and in every instance; resolves its id.
   * `data` must survive `JSON.stringify`: a shared bus carries it as JSON, so its subscribers get a
   * copy. Rejects once the bus is closed.
   */
  publish(topic: string, data: unknown, options?: PublishOptions): Promise<string>;
  /**
   * Listens to `topic` (replaying from `after` first) until the resolved function is called. Each
   * call is a subscription of its own, even with a listener already subscribed. Rejects once the
   * bus is closed.
   */
  subscribe<T = unknown>(
    topic: string,
    listener: BusListener<T>,
    options?: SubscribeOptions,
  ): Promise<() => void>;
  /** Stops delivering and lets go of connections. */
  close(): Promise<void>;
}

/** Options of {@link createInProcessEventBus}. */
export interface InProcessEventBusOptions {
  /** Messages kept per topic for subscribers that resume; default 1000. */
  retain?: number;
  /**
   * Messages kept across all topics; default 100,000. Past it, the topics published to longest ago
   * lose what they kept first, so the bus's memory stays bounded however many topics come and go.
   */
  retainTotal?: number;
  /**
   * How long a topic's messages are kept after its last publish, as the Redis bus keeps a topic's
   * stream; default 24 hours. A topic nobody published to for longer is forgotten.
   */
  ttlMs?: number;
  /** The clock, in milliseconds; default `Date.now`. */
  now?: () => number;
  /** Told when a listener throws; the others still get the message. */
  onError?: (error: unknown) => void;
}

/**
 * The bus of one process: delivery is synchronous and in order of subscription; a listener that
 * throws does not keep the message from the others. Ids are `<milliseconds>-<sequence>`, as Redis
 * streams write them, so they compare the same way.
 *
 * @example
 * const bus = createInProcessEventBus();
 * const stop = await bus.subscribe('session:sess_1', (message) => console.log(message.data));
 * await bus.publish('session:sess_1', { type: 'ping' });
 */
export const createInProcessEventBus = (options: InProcessEventBusOptions = {}): EventBus => {
  const retain = options.retain ?? 1000;
  const retainTotal = options.retainTotal ?? 100_000;
  const ttlMs = options.ttlMs ?? 24 * 60 * 60 * 1000;
  const clock = options.now ?? Date.now;
  /** When each topic was last published to, oldest first (a publish moves its topic to the end). */
  const lastPublished = new Map<string, number>();
  const onError = options.onError ?? (() => {});
  const topics = new Map<string, Set<BusListener>>();
  const history = new Map<string, BusMessage[]>();
  /** Messages in `history`, all topics together. */
  let kept = 0;
  const forget = (topic: string) => {
    kept -= history.get(topic)?.length ?? 0;
    history.delete(topic);
  };
  let lastMs = 0;
  let seq = 0;
  const nextId = () => {
    const ms = Date.now();
    if (ms > lastMs) {
      lastMs = ms;
      seq = 0;
    } else {
      seq += 1;
    }
    return `${lastMs}-${seq}`;
  };
  let closed = false;
  const deliver = (message: BusMessage) => {
    for (const listener of [...(topics.get(message.topic) ?? [])]) {
      try {
        listener(message);
      } catch (error) {
        onError(error);
      }
    }
  };
  return {
    async publish(topic, data, publishOptions = {}) {
      if (closed) throw new Error('The event bus is closed');
      const message: BusMessage = { id: nextId(), topic, data };
      if (publishOptions.replay === false) {
        deliver(message);
        return message.id;
      }
      const at = clock();
      lastPublished.delete(topic);
      lastPublished.set(topic, at);
      for (const [stale, publishedAt] of lastPublished) {
        if (at - publishedAt <= ttlMs) break;
        lastPublished.delete(stale);
        forget(stale);
      }
      const messages = history.get(topic) ?? [];
      messages.push(message);
      kept += 1;
      if (messages.length > retain) kept -= messages.splice(0, messages.length - retain).length;
      history.set(topic, messages);
      // Over the total, the topics published to longest ago go first (never the one just published).
      for (const [old] of lastPublished) {
        if (kept <= retainTotal || old === topic) break;
        lastPublished.delete(old);
        forget(old);
      }
      deliver(message);
      return message.id;
    },
    async subscribe(topic, listener, subscribeOptions = {}) {
      if (closed) throw new Error('The event bus is closed');
      const { after } = subscribeOptions;
      if (after !== undefined && !isBusId(after)) {
        throw new TypeError(
          `subscribe: after must be a bus id such as 1700000000000-0 (got ${JSON.stringify(after)})`,
        );
      }
      // A wrapper per call, so the same function subscribed twice is two subscriptions.
      const entry: BusListener = (message) => (listener as BusListener)(message);
      if (after !== undefined) {
        for (const message of history.get(topic) ?? []) {
          if (compareIds(message.id, after) <= 0) continue;
          try {
            entry(message);
          } catch (error) {
            onError(error);
          }
        }
      }
      let listeners = topics.get(topic);
      if (!listeners) {
        listeners = new Set();
        topics.set(topic, listeners);
      }
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
        if (listeners.size === 0) topics.delete(topic);
      };
    },
    async close() {
      closed = true;
      topics.clear();
    },
  };
};

/** Whether `id` is a bus id: `<milliseconds>-<sequence>`, two whole numbers, as Redis streams write them. */
export const isBusId = (id: string): boolean => /^\d{1,16}-\d{1,16}$/.test(id);

/** Orders two bus ids (`<milliseconds>-<sequence>`): negative, zero or positive. */
export const compareIds = (a: string, b: string): number => {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
};
