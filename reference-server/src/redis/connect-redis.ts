/**
 * @module One connection to Redis, as the event bus and the shared limits open it: its losses and
 * returns logged once each (never with the URL's password), and a bounded wait for the first one.
 */
import type { EngineLogger } from '@cartrita/engine';
import { createClient, type RedisClientOptions, type RedisClientType } from 'redis';
import { redactDatabaseUrl } from '../config/database-url.js';

/** A connected node-redis client. */
export type RedisConnection = RedisClientType;

/** Options of {@link connectRedis}. */
export interface ConnectRedisOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  logger: EngineLogger;
  /** The connection's name in Redis (`CLIENT SETNAME`), so `CLIENT LIST` tells what it is for. */
  name: string;
  /** What the connection serves, for the log lines: `the event bus`, `the limits`. */
  purpose: string;
  /** What the server does while the connection is down, for the log line that reports its loss. */
  whileDown: string;
  /** How long the first connection may take before start-up fails; default 10 000 ms. */
  connectTimeoutMs?: number;
  /** Further node-redis options (offline queue, command timeouts). */
  client?: Omit<RedisClientOptions, 'url'>;
}

/**
 * Opens a node-redis client and waits until it is ready. node-redis reconnects by itself (backing
 * off up to about 2 s between attempts); this reports the first error of each outage as a warning,
 * the next ones at debug level, and the return at info level, so an outage is two log lines
 * however long it lasts.
 *
 * @throws when Redis does not answer within `connectTimeoutMs`, naming the address (password
 * redacted) and the last error.
 */
export const connectRedis = async (options: ConnectRedisOptions): Promise<RedisConnection> => {
  const { logger, purpose } = options;
  const redis = redactDatabaseUrl(options.url);
  const client = createClient({ ...options.client, url: options.url, name: options.name }) as RedisConnection;
  let ready = false;
  let down = false;
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
    if (!ready) return;
    if (!down) {
      down = true;
      logger.warn(
        { err: error, redis },
        `Lost the Redis connection of ${purpose}; reconnecting (${options.whileDown})`,
      );
    } else {
      logger.debug({ err: error, redis }, `Redis is still unreachable for ${purpose}`);
    }
  });
  client.on('ready', () => {
    if (down) logger.info({ redis }, `The Redis connection of ${purpose} is back`);
    ready = true;
    down = false;
  });

  const timeoutMs = options.connectTimeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const why = lastError instanceof Error ? `: ${lastError.message}` : '';
      reject(new Error(`Redis at ${redis} did not answer within ${timeoutMs} ms for ${purpose}${why}`));
    }, timeoutMs);
  });
  const connecting = client.connect();
  try {
    await Promise.race([connecting, deadline]);
    return client;
  } catch (error) {
    // The abandoned attempt rejects once the client is destroyed; that is expected.
    connecting.catch(() => {});
    client.destroy();
    throw error;
  } finally {
    clearTimeout(timer);
  }
};

/**
 * Lets go of a connection: waits up to `graceMs` (default 1 000) for the commands already sent to be
 * answered, then drops it. A connection that is away is dropped at once, refusing what was waiting
 * for it; node-redis's own `close()` would wait for it to come back.
 */
export const disconnectRedis = async (client: RedisConnection, graceMs = 1_000): Promise<void> => {
  if (!client.isOpen) return;
  if (!client.isReady) {
    client.destroy();
    return;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
  });
  try {
    await Promise.race([client.close().catch(() => {}), late]);
  } finally {
    clearTimeout(timer);
    if (client.isOpen) client.destroy();
  }
};
