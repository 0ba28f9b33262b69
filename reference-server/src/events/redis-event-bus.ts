/**
 * @module The event bus over Redis: one stream per topic keeps what subscribers may replay, and
 * pub/sub carries each message to every instance the moment it is added.
 */
import {
  type BusListener,
  type BusMessage,
  compareIds,
  type EngineLogger,
  type EventBus,
  isBusId,
} from '@cartrita/engine';
import { connectRedis, disconnectRedis, type RedisConnection } from '../redis/connect-redis.js';

/** Options of {@link createRedisEventBus}. */
export interface RedisEventBusOptions {
  /** `redis://[[user]:password@]host[:port][/db]`, or `rediss://` for TLS. */
  url: string;
  /** Told about lost and regained connections, failed catch-ups and listeners that throw. */
  logger: EngineLogger;
  /**
   * Messages kept per topic for subscribers that resume; default 1000. The cap is Redis's
   * approximate `MAXLEN ~`: a stream keeps at least this many, and drops older ones a whole
   * node (about 100 entries) at a time.
   */
  retain?: number;
  /** A topic nobody published to for this long is deleted, history and all; default one day. */
  ttlSeconds?: number;
  /** Prefix of every stream key and channel, so several deployments can share one Redis; default `cartrita:events:`. */
  prefix?: string;
  /** How long the first connection may take before the bus fails to open; default 10 000 ms. */
  connectTimeoutMs?: number;
  /**
   * How long a publish waits for a lost connection to come back before it rejects (it is then never
   * sent); default 5 000 ms. A publish already sent when the connection drops rejects at once,
   * since Redis may or may not have run it.
   */
  publishWaitMs?: number;
  /** Commands that may wait for a lost connection at once; more are refused. Default 10 000. */
  maxQueuedCommands?: number;
}

/**
 * Adds the message to the topic's stream (trimmed, its expiry renewed) and announces it on the
 * topic's channel as `<id> <json>`, in one step: Redis runs a script whole, so the channel carries
 * the messages of a topic in the order of their stream ids, whichever instance published them.
 */
const publishScript = `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'd', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], id .. ' ' .. ARGV[2])
return id
`;

/** Entries read per `XRANGE` while a subscriber catches up. */
const page = 500;

/** One call of `subscribe`. */
interface Subscription {
  readonly listener: BusListener;
  /** The id of the last message it was given (or its starting point); later messages only. */
  lastId: string;
  /** While it catches up from the stream: the live messages that arrived meanwhile. */
  buffer: BusMessage[] | undefined;
  /** Set when the channel was lost during a catch-up, which must then read the stream again. */
  stale: boolean;
  active: boolean;
}

/** The subscriptions of one topic in this instance, behind one channel subscription. */
interface Topic {
  readonly subscriptions: Set<Subscription>;
  /** The channel's listener, one per topic: each message is parsed once, whatever the subscribers. */
  readonly onMessage: (raw: string) => void;
  /** Settles when Redis confirmed the channel subscription. */
  readonly subscribed: Promise<void>;
}

/**
 * Opens a bus that several server instances share through one Redis. `publish` runs a script that
 * adds the message to the topic's stream (`XADD` with an approximate `MAXLEN`; the id is the
 * stream's) and publishes it on the topic's channel. `subscribe` subscribes to the channel first,
 * holds what arrives there, reads the stream after `after` (`XRANGE`), then hands over the held
 * messages past the last one it read: none is missed or given twice. Without `after` it starts
 * from the stream's last id when `subscribe` was called.
 *
 * Two connections: one for commands and one for the channels. When either is lost, the loss is
 * logged and node-redis reconnects; publishes wait meanwhile (up to `publishWaitMs`, then they
 * reject), and once the channels are back every subscription catches up from the stream, so an
 * outage costs subscribers time, not messages (unless more than `retain` were published
 * meanwhile).
 *
 * @throws when Redis does not answer within `connectTimeoutMs`.
 *
 * @example
 * const bus = await createRedisEventBus({ url: 'redis://127.0.0.1:6379', logger });
 * const stop = await bus.subscribe('session:sess_1', (message) => socket.send(JSON.stringify(message)), { after: lastSeen });
 */
export const createRedisEventBus = async (options: RedisEventBusOptions): Promise<EventBus> => {
  const { logger } = options;
  const retain = options.retain ?? 1000;
  const ttlSeconds = options.ttlSeconds ?? 86_400;
  const prefix = options.prefix ?? 'cartrita:events:';
  for (const [name, value] of [
    ['retain', retain],
    ['ttlSeconds', ttlSeconds],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new TypeError(`createRedisEventBus: ${name} must be a positive integer`);
    }
  }
  const connection = {
    url: options.url,
    logger,
    ...(options.connectTimeoutMs === undefined ? {} : { connectTimeoutMs: options.connectTimeoutMs }),
  };
  const commands = await connectRedis({
    ...connection,
    name: 'cartrita:events',
    purpose: 'the event bus',
    whileDown: 'publishes wait for it',
    client: { commandsQueueMaxLength: options.maxQueuedCommands ?? 10_000 },
  });
  // Publishes give up after a while; reads for a catch-up wait as long as the connection is away.
  const publishing = commands.withCommandOptions({ timeout: options.publishWaitMs ?? 5_000 });
  let channels: RedisConnection;
  try {
    channels = await connectRedis({
      ...connection,
      name: 'cartrita:events:subscriptions',
      purpose: "the event bus's subscriptions",
      whileDown: 'subscribers catch up from the streams once it is back',
    });
  } catch (error) {
    commands.destroy();
    throw error;
  }

  const key = (topic: string) => `${prefix}${topic}`;
  const topics = new Map<string, Topic>();
  let closed = false;
  let scriptSha: string | undefined;

  const runPublish = async (keys: string[], args: string[]): Promise<string> => {
    if (scriptSha !== undefined) {
      try {
        return String(await publishing.evalSha(scriptSha, { keys, arguments: args }));
      } catch (error) {
        // A restarted Redis has forgotten the script: load it again.
        if (!String((error as Error).message).startsWith('NOSCRIPT')) throw error;
      }
    }
    scriptSha = await publishing.scriptLoad(publishScript);
    return String(await publishing.evalSha(scriptSha, { keys, arguments: args }));
  };

  const deliver = (topic: string, subscription: Subscription, message: BusMessage): void => {
    if (!subscription.active || compareIds(message.id, subscription.lastId) <= 0) return;
    subscription.lastId = message.id;
    try {
      subscription.listener(message);
    } catch (error) {
      logger.error({ err: error, topic, id: message.id }, 'An event bus listener threw; delivery goes on');
    }
  };

  /**
   * Reads the stream after the subscription's last id and gives it every entry, then the live
   * messages held meanwhile. Runs again from the top while the channel was lost during the read.
   */
  const catchUp = async (topic: string, subscription: Subscription): Promise<void> => {
    subscription.buffer ??= [];
    try {
      do {
        subscription.stale = false;
        for (;;) {
          const entries =
            (await commands.xRange(key(topic), `(${subscription.lastId}`, '+', { COUNT: page })) ?? [];
          for (const entry of entries) {
            deliver(topic, subscription, { id: entry.id, topic, data: JSON.parse(String(entry.message.d)) });
          }
          if (entries.length < page || !subscription.active) break;
        }
      } while (subscription.stale && subscription.active);
    } catch (error) {
      if (subscription.active && !closed) {
        logger.error(
          { err: error, topic, after: subscription.lastId },
          'An event bus subscriber could not read the messages it missed; it goes on with the live ones',
        );
      }
    } finally {
      const held = subscription.buffer ?? [];
      subscription.buffer = undefined;
      for (const message of held) deliver(topic, subscription, message);
    }
  };

  const openTopic = (topic: string): Topic => {
    const subscriptions = new Set<Subscription>();
    const onMessage = (raw: string): void => {
      const space = raw.indexOf(' ');
      let message: BusMessage;
      try {
        message = { id: raw.slice(0, space), topic, data: JSON.parse(raw.slice(space + 1)) };
      } catch (error) {
        // Only the publish script writes to these channels; anything else is someone else's.
        logger.warn({ err: error, topic }, 'The event bus ignored a message it could not read');
        return;
      }
      for (const subscription of subscriptions) {
        if (subscription.buffer) subscription.buffer.push(message);
        else deliver(topic, subscription, message);
      }
    };
    const subscribed = channels.subscribe(key(topic), onMessage);
    const opened: Topic = { subscriptions, onMessage, subscribed };
    topics.set(topic, opened);
    subscribed.catch(() => {
      if (topics.get(topic) === opened) topics.delete(topic);
    });
    return opened;
  };

  const closeTopic = (topic: string, opened: Topic): void => {
    if (topics.get(topic) === opened) topics.delete(topic);
    if (closed) return;
    channels.unsubscribe(key(topic), opened.onMessage).catch((error: unknown) => {
      if (!closed) logger.warn({ err: error, topic }, 'The event bus could not unsubscribe from a topic');
    });
  };

  // After a lost channel connection node-redis subscribes again before it reports `ready`; what
  // was published in between is in the streams.
  let channelsReady = true;
  channels.on('error', () => {
    channelsReady = false;
  });
  channels.on('ready', () => {
    if (channelsReady) return;
    channelsReady = true;
    for (const [topic, opened] of topics) {
      for (const subscription of opened.subscriptions) {
        if (subscription.buffer) subscription.stale = true;
        else void catchUp(topic, subscription);
      }
    }
  });

  const lastIdOf = async (topic: string): Promise<string> => {
    const [last] = (await commands.xRevRange(key(topic), '+', '-', { COUNT: 1 })) ?? [];
    return last?.id ?? '0-0';
  };

  return {
    async publish(topic, data) {
      if (closed) throw new Error('The event bus is closed');
      const json = JSON.stringify(data);
      if (json === undefined) throw new TypeError('publish: data must be a JSON value');
      return runPublish([key(topic)], [String(retain), json, String(ttlSeconds), key(topic)]);
    },

    async subscribe(topic, listener, subscribeOptions = {}) {
      if (closed) throw new Error('The event bus is closed');
      const { after } = subscribeOptions;
      if (after !== undefined && !isBusId(after)) {
        throw new TypeError(
          `subscribe: after must be a bus id such as 1700000000000-0 (got ${JSON.stringify(after)})`,
        );
      }
      // Without `after`, start where the stream stands now: anything published from here on is
      // either read from the stream or caught on the channel.
      const start = after ?? (await lastIdOf(topic));
      const subscription: Subscription = {
        listener: listener as BusListener,
        lastId: start,
        buffer: [],
        stale: false,
        active: true,
      };
      const opened = topics.get(topic) ?? openTopic(topic);
      opened.subscriptions.add(subscription);
      const stop = (): void => {
        if (!subscription.active) return;
        subscription.active = false;
        subscription.buffer = undefined;
        opened.subscriptions.delete(subscription);
        if (opened.subscriptions.size === 0) closeTopic(topic, opened);
      };
      try {
        await opened.subscribed;
      } catch (error) {
        stop();
        throw error;
      }
      await catchUp(topic, subscription);
      return stop;
    },

    async close() {
      if (closed) return;
      closed = true;
      for (const opened of topics.values()) {
        for (const subscription of opened.subscriptions) subscription.active = false;
      }
      topics.clear();
      await Promise.all([disconnectRedis(channels), disconnectRedis(commands)]);
    },
  };
};
