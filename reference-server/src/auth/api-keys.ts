/** @module Server-side API keys: parsing their configured form, hashing, and constant-time matching. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * A configured API key. Only the SHA-256 hash of the secret is kept; the plaintext is dropped as soon
 * as the configuration is loaded.
 */
export interface ApiKey {
  /** The key's name, used as its id in `req.auth.keyId`, rate-limit buckets and logs. */
  readonly id: string;
  /** What the key may do (`admin`, `chat`, `voice`, ...); `admin` passes every scope check. */
  readonly scopes: readonly string[];
  /** SHA-256 of the secret (32 bytes). */
  readonly hash: Buffer;
}

/** The fields of an API key as written in a YAML file: a plaintext `secret` or its `sha256` in hex. */
export interface ApiKeyInput {
  name: string;
  scopes?: readonly string[];
  secret?: string;
  sha256?: string;
}

/** The shortest secret accepted, so that a guessable key such as `test` cannot be configured. */
export const minApiKeyLength = 16;

const namePattern = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const scopePattern = /^[a-z][a-z0-9_.:-]{0,63}$/;
const sha256Pattern = /^sha256:([0-9a-f]{64})$/i;

/** SHA-256 of an API key's secret, as stored and compared. */
export const hashApiKey = (secret: string): Buffer => createHash('sha256').update(secret, 'utf8').digest();

/** A new random API key secret (`ck_` and 43 base64url characters, 256 bits). */
export const generateApiKey = (): string => `ck_${randomBytes(32).toString('base64url')}`;

/**
 * Builds an {@link ApiKey} from its parts. Throws a `TypeError` whose message never contains the
 * secret when a part is invalid.
 */
export const createApiKey = (input: ApiKeyInput): ApiKey => {
  const { name, scopes = [], secret, sha256 } = input;
  if (typeof name !== 'string' || !namePattern.test(name)) {
    throw new TypeError(
      'the key name must be 1-64 letters, digits, "_", "." or "-", starting with a letter or digit',
    );
  }
  for (const scope of scopes) {
    if (typeof scope !== 'string' || !scopePattern.test(scope)) {
      throw new TypeError(
        `key "${name}" has an invalid scope ${JSON.stringify(scope)} (use lowercase words)`,
      );
    }
  }
  let hash: Buffer;
  if (sha256 !== undefined) {
    const hex = sha256Pattern.exec(`sha256:${sha256.replace(/^sha256:/i, '')}`)?.[1];
    if (!hex) throw new TypeError(`key "${name}" has a sha256 that is not 64 hexadecimal characters`);
    hash = Buffer.from(hex, 'hex');
  } else if (typeof secret === 'string') {
    if (secret.length < minApiKeyLength) {
      throw new TypeError(`key "${name}" has a secret shorter than ${minApiKeyLength} characters`);
    }
    hash = hashApiKey(secret);
  } else {
    throw new TypeError(`key "${name}" needs a secret or a sha256`);
  }
  return { id: name, scopes: [...new Set(scopes)], hash };
};

/**
 * Parses the `API_KEYS` format: comma-separated entries `name:scope1+scope2:secret`. The secret is
 * everything after the second colon; it may instead be `sha256:<64 hex>` to configure a key by its
 * hash. The scope list may be empty (`name::secret`). Entries must have unique names.
 *
 * @example
 * parseApiKeys('ops:admin:4Xq...,widget-backend:chat+voice:sha256:9f86d08...');
 */
export const parseApiKeys = (spec: string): ApiKey[] => {
  const keys: ApiKey[] = [];
  const entries = spec
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  entries.forEach((entry, index) => {
    const first = entry.indexOf(':');
    const second = first === -1 ? -1 : entry.indexOf(':', first + 1);
    if (first <= 0 || second === -1) {
      throw new TypeError(`entry ${index + 1} must look like name:scope1+scope2:secret`);
    }
    const name = entry.slice(0, first);
    const scopeList = entry.slice(first + 1, second);
    const rest = entry.slice(second + 1);
    const scopes = scopeList === '' ? [] : scopeList.split('+').map((scope) => scope.trim());
    const hashed = sha256Pattern.exec(rest);
    keys.push(
      createApiKey(hashed ? { name, scopes, sha256: hashed[1] as string } : { name, scopes, secret: rest }),
    );
  });
  assertUniqueNames(keys);
  return keys;
};

/** Throws when two keys share a name. */
export const assertUniqueNames = (keys: readonly ApiKey[]): void => {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key.id)) throw new TypeError(`key name "${key.id}" is used more than once`);
    seen.add(key.id);
  }
};

/**
 * Finds the configured key whose secret is `token`. The token is hashed once and compared with
 * every key using `crypto.timingSafeEqual`, without stopping at a match, so the time taken does not
 * tell which key (or how much of one) matched.
 */
export const matchApiKey = (token: string, keys: readonly ApiKey[]): ApiKey | undefined => {
  const hash = hashApiKey(token);
  let found: ApiKey | undefined;
  for (const key of keys) {
    const equal = key.hash.length === hash.length && timingSafeEqual(key.hash, hash);
    if (equal && found === undefined) found = key;
  }
  return found;
};
