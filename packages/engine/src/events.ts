/** @module The event bus port: an event published once reaches every subscriber of its topic. */

/** A subscriber of a topic. */
export type EventListener<T = unknown> = (event: T) => void;

/**
 * Delivers events by topic. The in-process bus serves one process; a shared one (Redis) makes
 * several instances of the server deliver to each other's subscribers.
 */
export interface EventBus {
  /** Delivers `event` to every current subscriber of `topic`. */
  publish(topic: string, event: unknown): Promise<void>;
  /** Listens to `topic` until the returned function is called. */
  subscribe<T = unknown>(topic: string, listener: EventListener<T>): () => void;
}

/**
 * The bus of one process: delivery is synchronous and in order of subscription; a listener that
 * throws does not keep the event from the others (the error is handed to `onError`).
 *
 * @example
 * const bus = createInProcessEventBus();
 * const stop = bus.subscribe('session:sess_1', (event) => console.log(event));
 * await bus.publish('session:sess_1', { type: 'ping' });
 */
export const createInProcessEventBus = (onError: (error: unknown) => void = () => {}): EventBus => {
  const topics = new Map<string, Set<EventListener>>();
  return {
    async publish(topic, event) {
      for (const listener of [...(topics.get(topic) ?? [])]) {
        try {
          listener(event);
        } catch (error) {
          onError(error);
        }
      }
    },
    subscribe(topic, listener) {
      let listeners = topics.get(topic);
      if (!listeners) {
        listeners = new Set();
        topics.set(topic, listeners);
      }
      const entry = listener as EventListener;
      listeners.add(entry);
      return () => {
        listeners.delete(entry);
        if (listeners.size === 0) topics.delete(topic);
      };
    },
  };
};
