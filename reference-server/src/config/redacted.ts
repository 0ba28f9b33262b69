/** @module The configuration as `GET /api/config` shows it: every secret hidden. */
import type { Config } from '../config.js';

const hidden = '[REDACTED]';

/** A URL's password (`postgres://user:pw@host`) hidden; any other text as it is. */
const withoutPassword = (text: string): string => {
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password === '') return text;
    url.password = hidden;
    return url.toString().replace(encodeURIComponent(hidden), hidden);
  } catch {
    return hidden;
  }
};

const redact = (value: unknown): unknown => {
  if (typeof value === 'string') return withoutPassword(value);
  if (Array.isArray(value)) return value.map(redact);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, redact(item)]));
  }
  return value;
};

/**
 * The configuration in effect as JSON, with every secret shown as `"[REDACTED]"`: secret settings
 * (keys, the signing secret) hide themselves when serialised, API keys show their names and scopes
 * only, and passwords inside URLs (`DATABASE_URL`, `REDIS_URL`) are hidden.
 */
export const redactedConfig = (config: Config): Record<string, unknown> => {
  const shown = redact(JSON.parse(JSON.stringify(config))) as Record<string, unknown> & {
    security: Record<string, unknown>;
  };
  // A key's hash is as good as the key to someone who can guess short secrets offline.
  shown.security.apiKeys = config.security.apiKeys.map(({ id, scopes }) => ({ id, scopes, hash: hidden }));
  return shown;
};
