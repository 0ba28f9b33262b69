/**
 * @module Types of setting values, shared by the settings (`settings.ts`) and the configuration that
 * `loadConfig` builds from them (`../config.ts`), so neither module imports the other's types.
 */

/** A pino log level. The seed's Python names are accepted too (`INFO`, `WARNING`, `CRITICAL`). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/**
 * Express's `trust proxy` setting: `false` (the default: `req.ip` is the socket's address), `true`
 * (trust every proxy: only behind one you control), a number of hops, or a list of addresses,
 * subnets or names (`loopback`, `linklocal`, `uniquelocal`).
 */
export type TrustProxy = boolean | number | string[];

/** The chat providers a server can use by default: `CHAT_PROVIDER`. */
export type ChatProviderName = 'demo' | 'openai' | 'huggingface';
