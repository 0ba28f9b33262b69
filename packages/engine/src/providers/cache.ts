/**
 * @module The cache of identical non-streaming provider requests: keyed by provider, model and the
 * request in a normal form, bounded in time (TTL) and size (entries and bytes per entry).
 */

/** Where cached answers are kept: this process's memory, or Redis on the server. */
export interface ProviderCache {
  /** The stored answer (JSON text) of `key`, if it has not expired. */
  get(key: string): Promise<string | undefined>;
  /** Keeps `value` (JSON text) under `key` for `ttlMs`. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
}

/** How the provider cache behaves. */
export interface ProviderCacheOptions {
  /** How long an answer is reused, in milliseconds; 0 turns the cache off. */
  ttlMs: number;
  /** The most answers kept (the least recently used go first). */
  maxEntries: number;
  /** Answers larger than this (JSON text length) are not kept. */
  maxEntryBytes: number;
}

/** Default cache behaviour: five minutes, a thousand answers, 256 KiB each. */
export const defaultProviderCacheOptions: ProviderCacheOptions = {
  ttlMs: 300_000,
  maxEntries: 1000,
  maxEntryBytes: 256 * 1024,
};

/** JSON with object keys sorted and `undefined` members dropped: equal requests give equal text. */
export const normalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, item: unknown) => {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
    const sorted: Record<string, unknown> = {};
    for (const name of Object.keys(item).sort()) {
      const member = (item as Record<string, unknown>)[name];
      if (member !== undefined) sorted[name] = member;
    }
    return sorted;
  }) ?? 'null';

/** The cache key of a request: provider, operation, model and the normalised request. */
export const providerCacheKey = (
  provider: string,
  operation: string,
  model: string | undefined,
  request: unknown,
): string => `${provider}\u0000${operation}\u0000${model ?? ''}\u0000${normalJson(request)}`;

/**
 * A cache in this process's memory, least recently used first out past `maxEntries`. `now` is the
 * clock (milliseconds).
 */
export const createMemoryProviderCache = (
  options: Pick<ProviderCacheOptions, 'maxEntries'>,
  now: () => number = Date.now,
): ProviderCache => {
  const entries = new Map<string, { value: string; expiresAt: number }>();
  return {
    async get(key) {
      const entry = entries.get(key);
      if (!entry) return undefined;
      entries.delete(key);
      if (entry.expiresAt <= now()) return undefined;
      // Re-inserted, so the Map's order is the order of use.
      entries.set(key, entry);
      return entry.value;
    },
    async set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      while (entries.size > options.maxEntries) {
        const oldest = entries.keys().next().value as string;
        entries.delete(oldest);
      }
    },
  };
};
