/** @module The server's event bus: this process's own, or one shared through Redis. */
import { createInProcessEventBus, type EngineLogger, type EventBus } from '@cartrita/engine';
import type { RedisEventBusOptions } from './redis-event-bus.js';

/** Options of {@link createEventBus}. */
export interface CreateEventBusOptions extends Partial<Omit<RedisEventBusOptions, 'url' | 'logger'>> {
  /** `REDIS_URL`: share the bus with every instance on this Redis; unset, the bus is this process's. */
  redisUrl?: string | undefined;
  /** Told about listeners that throw and, with Redis, about lost and regained connections. */
  logger: EngineLogger;
}

/**
 * The bus the server publishes session events on. Without a Redis URL it is the engine's
 * in-process bus (keeping `retain` messages per topic); with one, {@link createRedisEventBus}, so
 * that a message published on one instance reaches subscribers on every other. The Redis client is
 * loaded only then.
 *
 * @throws when a Redis URL is given and Redis does not answer in time.
 *
 * @example
 * const bus = await createEventBus({ redisUrl: config.redis?.url.reveal(), logger });
 */
export const createEventBus = async (options: CreateEventBusOptions): Promise<EventBus> => {
  const { redisUrl, logger, ...rest } = options;
  if (redisUrl === undefined) {
    return createInProcessEventBus({
      ...(rest.retain === undefined ? {} : { retain: rest.retain }),
      onError: (error) => logger.error({ err: error }, 'An event bus listener threw; delivery goes on'),
    });
  }
  const { createRedisEventBus } = await import('./redis-event-bus.js');
  return createRedisEventBus({ ...rest, url: redisUrl, logger });
};
