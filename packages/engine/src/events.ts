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

/** A subscriber of a topic. */
export type BusListener<T = unknown> = (message: BusMessage<T>) => void;

/** Options of {@link EventBus.subscribe}. */
export interface SubscribeOptions {
  /**
   * Deliver first the retained messages published after this id (as many as the bus keeps), then
   * the live ones, with none missed or repeated in between.
   */
  after?: string;
}

/**
 * Delivers messages by topic. The in-process bus serves one process; a shared one (Redis: pub/sub
 * for fan-out, streams for replay) makes several instances deliver to each other's subscribers.
 */
export interface EventBus {
  /** Delivers `data` to every subscriber of `topic`, here and in every instance; resolves its id. */
  publish(topic: string, data: unknown): Promise<string>;
  /** Listens to `topic` (replaying from `after` first) until the resolved function is called. */
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
  const onError = options.onError ?? (() => {});
  const topics = new Map<string, Set<BusListener>>();
  const history = new Map<string, BusMessage[]>();
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
  return {
    async publish(topic, data) {
      if (closed) throw new Error('The event bus is closed');
      const message: BusMessage = { id: nextId(), topic, data };
      const kept = history.get(topic) ?? [];
      kept.push(message);
      if (kept.length > retain) kept.splice(0, kept.length - retain);
      history.set(topic, kept);
      for (const listener of [...(topics.get(topic) ?? [])]) {
        try {
          listener(message);
        } catch (error) {
          onError(error);
        }
      }
      return message.id;
    },
    async subscribe(topic, listener, subscribeOptions = {}) {
      const entry = listener as BusListener;
      if (subscribeOptions.after !== undefined) {
        for (const message of history.get(topic) ?? []) {
          if (compareIds(message.id, subscribeOptions.after) > 0) entry(message);
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

/** Orders two bus ids (`<milliseconds>-<sequence>`): negative, zero or positive. */
export const compareIds = (a: string, b: string): number => {
  const [aMs = 0, aSeq = 0] = a.split('-').map(Number);
  const [bMs = 0, bSeq = 0] = b.split('-').map(Number);
  return aMs - bMs || aSeq - bSeq;
};
