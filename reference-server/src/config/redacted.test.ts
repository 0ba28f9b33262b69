import { expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { redactedConfig } from './redacted.js';

it('hides every secret of the configuration: keys, their hashes, the signing secret and passwords in URLs', () => {
  const secrets = {
    apiKey: 'ck_live_0123456789abcdef0123',
    openai: 'sk-test-abcdefghijklmnopqrstuvwxyz',
    signing: 'signing-secret-0123456789abcdef',
    password: 'pg-password-with-@-and-%',
  };
  const config = loadConfig({
    env: {
      API_KEYS: `ops:admin+chat:${secrets.apiKey}`,
      OPENAI_API_KEY: secrets.openai,
      API_KEY_SECRET: secrets.signing,
      DATABASE_URL: `postgres://cartrita:${encodeURIComponent(secrets.password)}@db.internal:5432/cartrita`,
    },
  });
  const shown = redactedConfig(config);
  const text = JSON.stringify(shown);
  for (const secret of [...Object.values(secrets), encodeURIComponent(secrets.password)]) {
    expect(text).not.toContain(secret);
  }
  expect((shown.database as { url: string }).url).toBe(
    'postgres://cartrita:[REDACTED]@db.internal:5432/cartrita',
  );
  expect((shown.security as { apiKeys: unknown }).apiKeys).toEqual([
    { id: 'ops', scopes: ['admin', 'chat'], hash: '[REDACTED]' },
  ]);
  expect((shown.providers as { openai: { apiKey: string } }).openai.apiKey).toBe('[REDACTED]');
  expect((shown.security as { apiKeySecret: string }).apiKeySecret).toBe('[REDACTED]');
  // What is not secret is shown as it is.
  expect((shown.server as { port: number }).port).toBe(8000);
});
