/** @module The server's event bus: in this process, or shared by every instance through Redis. */
export { type CreateEventBusOptions, createEventBus } from './create-event-bus.js';
export type { RedisEventBusOptions } from './redis-event-bus.js';
