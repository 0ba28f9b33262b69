import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspect } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { hashApiKey } from './auth/api-keys.js';
import {
  ConfigError,
  defaultCorsOrigins,
  defaultUploadTypes,
  loadConfig,
  publicConfig,
  resolveSigningSecret,
} from './config.js';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cartrita-config-'));
  dirs.push(dir);
  return dir;
};

const seedYaml = `# config/api.yaml (seed 001)
server:
  host: 0.0.0.0
  port: 8001
  workers: 4

database:
  url: sqlite:///./llmgine.db

logging:
  level: INFO
  file: logs/api.log

security:
  api_key_secret: a-long-enough-signing-secret
  cors_origins:
    - http://localhost:3000
    - https://yourdomain.com

observability:
  enable_metrics: true
  enable_tracing: true
`;

it('uses the documented defaults with an empty environment', () => {
  const config = loadConfig({ env: {}, cwd: '/srv/app' });
  expect(config.server).toEqual({ host: '127.0.0.1', port: 8000, workers: 1, trustProxy: false });
  expect(config.dataDir).toBe('/srv/app/.data');
  expect(config.database).toEqual({
    url: 'sqlite:////srv/app/.data/cartrita.db',
    engine: 'sqlite',
    sqlitePath: '/srv/app/.data/cartrita.db',
  });
  expect(config.logging).toEqual({ level: 'info' });
  expect(config.security.apiKeySecret).toBeUndefined();
  expect(config.security.corsOrigins).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://127.0.0.1:8000',
    'http://localhost:8000',
  ]);
  expect(config.security.apiKeys).toEqual([]);
  expect(config.security.requireApiKeyForSessions).toBe(false);
  expect(config.observability).toEqual({ enableMetrics: true, enableTracing: true, retentionDays: 7 });
  expect(config.sessions.ttlSeconds).toBe(3600);
  expect(config.rateLimit).toEqual({
    perMinute: 100,
    authenticatedPerMinute: 1000,
    authFailuresPerMinute: 10,
  });
  expect(config.http).toEqual({ bodyLimit: '1mb', bodyLimitBytes: 1048576 });
  expect(config.uploads).toEqual({ maxBytes: 20 * 1024 * 1024, allowedTypes: [...defaultUploadTypes] });
  expect(config.demo.paceMs).toBe(15);
  expect(config.configFile).toBeUndefined();
  expect(config.sources.API_PORT).toBe('default');
});

it('reads every setting from the environment', () => {
  const config = loadConfig({
    cwd: '/srv/app',
    env: {
      API_HOST: '0.0.0.0',
      API_PORT: '9000',
      API_WORKERS: '2',
      DATABASE_URL: 'postgres://cartrita:pw@db:5432/cartrita',
      DATA_DIR: '/var/lib/cartrita',
      LOG_LEVEL: 'WARNING',
      LOG_FILE: 'logs/api.log',
      API_KEY_SECRET: 'x'.repeat(32),
      CORS_ORIGINS: 'https://a.example, https://b.example/',
      ENABLE_METRICS: 'false',
      ENABLE_TRACING: 'yes',
      OBSERVABILITY_RETENTION_DAYS: '30',
      LANGFUSE_PUBLIC_KEY: 'pk-lf-1234',
      LANGFUSE_SECRET_KEY: 'sk-lf-5678',
      LANGFUSE_BASE_URL: 'https://langfuse.example/',
      API_KEYS: 'ops:admin:0123456789abcdef',
      SESSION_TTL_SECONDS: '600',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_AUTHENTICATED_PER_MINUTE: '5000',
      AUTH_FAILURES_PER_MINUTE: '3',
      BODY_LIMIT: '512kb',
      UPLOAD_MAX_BYTES: '5mb',
      UPLOAD_ALLOWED_TYPES: 'image/*,application/pdf',
      REQUIRE_API_KEY_FOR_SESSIONS: 'TRUE',
      DEMO_PACE_MS: '0',
      PUBLIC_URL: 'https://chat.example/',
      TRUST_PROXY: 'loopback, 10.0.0.0/8',
    },
  });
  expect(config.server).toEqual({
    host: '0.0.0.0',
    port: 9000,
    workers: 2,
    publicUrl: 'https://chat.example',
    trustProxy: ['loopback', '10.0.0.0/8'],
  });
  expect(config.database).toEqual({ url: 'postgres://cartrita:pw@db:5432/cartrita', engine: 'postgres' });
  expect(config.dataDir).toBe('/var/lib/cartrita');
  expect(config.logging).toEqual({ level: 'warn', file: '/srv/app/logs/api.log' });
  expect(config.security.apiKeySecret?.reveal()).toBe('x'.repeat(32));
  expect(config.security.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
  expect(config.security.apiKeys.map((key) => key.id)).toEqual(['ops']);
  expect(config.security.requireApiKeyForSessions).toBe(true);
  expect(config.observability).toEqual({
    enableMetrics: false,
    enableTracing: true,
    retentionDays: 30,
    langfuse: { publicKey: 'pk-lf-1234', secretKey: expect.anything(), baseUrl: 'https://langfuse.example' },
  });
  expect(config.observability.langfuse?.secretKey.reveal()).toBe('sk-lf-5678');
  expect(JSON.stringify(publicConfig(config))).not.toContain('sk-lf-5678');
  expect(publicConfig(config).observability).toEqual({
    enableMetrics: false,
    enableTracing: true,
    retentionDays: 30,
    langfuse: { publicKey: 'pk-lf-1234', baseUrl: 'https://langfuse.example', secretKeyConfigured: true },
  });
  expect(config.sessions.ttlSeconds).toBe(600);
  expect(config.rateLimit).toEqual({ perMinute: 0, authenticatedPerMinute: 5000, authFailuresPerMinute: 3 });
  expect(config.http).toEqual({ bodyLimit: '512kb', bodyLimitBytes: 524288 });
  expect(config.uploads).toEqual({ maxBytes: 5 * 1024 * 1024, allowedTypes: ['image/*', 'application/pdf'] });
  expect(config.demo.paceMs).toBe(0);
  expect(config.sources.API_PORT).toBe('environment');
});

it('refuses one Langfuse key without the other, naming the missing one', () => {
  expect(() => loadConfig({ env: { LANGFUSE_PUBLIC_KEY: 'pk-lf-1' } })).toThrow(
    'Invalid configuration: LANGFUSE_PUBLIC_KEY is set but LANGFUSE_SECRET_KEY is not; Langfuse needs both keys',
  );
  expect(() => loadConfig({ env: { LANGFUSE_SECRET_KEY: 'sk-lf-1' } })).toThrow(
    'Invalid configuration: LANGFUSE_SECRET_KEY is set but LANGFUSE_PUBLIC_KEY is not; Langfuse needs both keys',
  );
});

it('accepts the seed log levels in any case', () => {
  const level = (LOG_LEVEL: string) => loadConfig({ env: { LOG_LEVEL } }).logging.level;
  expect(level('INFO')).toBe('info');
  expect(level('Debug')).toBe('debug');
  expect(level('WARNING')).toBe('warn');
  expect(level('CRITICAL')).toBe('fatal');
  expect(level('silent')).toBe('silent');
});

it('reads the seed 001 YAML layout', async () => {
  const dir = await tempDir();
  const file = join(dir, 'api.yaml');
  await writeFile(file, seedYaml);
  const config = loadConfig({ env: {}, file, cwd: dir });
  expect(config.configFile).toBe(file);
  expect(config.server).toMatchObject({ host: '0.0.0.0', port: 8001, workers: 4 });
  expect(config.database).toMatchObject({ engine: 'sqlite', sqlitePath: join(dir, 'llmgine.db') });
  expect(config.logging).toEqual({ level: 'info', file: join(dir, 'logs/api.log') });
  expect(config.security.apiKeySecret?.reveal()).toBe('a-long-enough-signing-secret');
  expect(config.security.corsOrigins).toEqual(['http://localhost:3000', 'https://yourdomain.com']);
  expect(config.observability).toEqual({ enableMetrics: true, enableTracing: true, retentionDays: 7 });
  expect(config.sources.API_PORT).toBe('file');
});

it('reads our own settings from the cartrita section', async () => {
  const dir = await tempDir();
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    `cartrita:
  data_dir: ./state
  demo_pace_ms: 5
  upload_allowed_types: [image/png, text/plain]
  upload_max_bytes: 1048576
  trust_proxy: 1
  api_keys:
    - ops:admin:0123456789abcdef
    - name: widget
      scopes: [chat]
      sha256: ${hashApiKey('widget-secret-0123').toString('hex')}
`,
  );
  const config = loadConfig({ env: {}, file, cwd: dir });
  expect(config.dataDir).toBe(join(dir, 'state'));
  expect(config.demo.paceMs).toBe(5);
  expect(config.uploads).toEqual({ maxBytes: 1048576, allowedTypes: ['image/png', 'text/plain'] });
  expect(config.server.trustProxy).toBe(1);
  expect(config.security.apiKeys.map((key) => [key.id, key.scopes])).toEqual([
    ['ops', ['admin']],
    ['widget', ['chat']],
  ]);
  expect(config.security.apiKeys[1]?.hash.equals(hashApiKey('widget-secret-0123'))).toBe(true);
});

it('ranks command-line flags over the environment over the file over defaults', async () => {
  const dir = await tempDir();
  const file = join(dir, 'api.yaml');
  await writeFile(file, 'server:\n  host: 10.0.0.1\n  port: 7000\nlogging:\n  level: debug\n');
  const env = { CARTRITA_CONFIG: file, API_PORT: '7100', LOG_LEVEL: 'error' };
  const config = loadConfig({ env, argv: ['serve', '--port', '7200', '--data-dir=/tmp/x'], cwd: dir });
  expect(config.server.host).toBe('10.0.0.1');
  expect(config.server.port).toBe(7200);
  expect(config.logging.level).toBe('error');
  expect(config.dataDir).toBe('/tmp/x');
  expect(config.sources).toMatchObject({
    API_HOST: 'file',
    API_PORT: 'command line',
    LOG_LEVEL: 'environment',
    DATA_DIR: 'command line',
    DEMO_PACE_MS: 'default',
  });
});

it('takes the file from --config, and the file option over both', async () => {
  const dir = await tempDir();
  const one = join(dir, 'one.yaml');
  const two = join(dir, 'two.yaml');
  await writeFile(one, 'server:\n  port: 1111\n');
  await writeFile(two, 'server:\n  port: 2222\n');
  expect(loadConfig({ env: { CARTRITA_CONFIG: two }, argv: ['--config', one] }).server.port).toBe(1111);
  expect(loadConfig({ env: {}, argv: ['--config', one], file: two }).server.port).toBe(2222);
});

it('names the setting, the value and the source of an invalid value', async () => {
  expect(() => loadConfig({ env: { API_PORT: '80a' } })).toThrow(
    new ConfigError(
      'Invalid configuration: API_PORT must be an integer between 0 and 65535 (got "80a") from the environment',
    ),
  );
  expect(() => loadConfig({ env: {}, argv: ['--port', '70000'] })).toThrow(
    'Invalid configuration: --port must be an integer between 0 and 65535 (got "70000") from the command line',
  );
  const dir = await tempDir();
  const file = join(dir, 'api.yaml');
  await writeFile(file, 'server:\n  port: 80.5\n');
  expect(() => loadConfig({ env: {}, file })).toThrow(
    `Invalid configuration: server.port must be an integer between 0 and 65535 (got 80.5) from ${file}`,
  );
});

it('rejects invalid values of each kind', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ LOG_LEVEL: 'loud' }, /LOG_LEVEL must be one of trace/],
    [{ ENABLE_METRICS: 'maybe' }, /ENABLE_METRICS must be true or false/],
    [{ CORS_ORIGINS: 'example.com' }, /CORS_ORIGINS must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://a.example/path' }, /CORS_ORIGINS/],
    [{ BODY_LIMIT: 'huge' }, /BODY_LIMIT must be a size/],
    [{ UPLOAD_ALLOWED_TYPES: 'pdf' }, /UPLOAD_ALLOWED_TYPES must be a comma-separated list of MIME types/],
    [
      { DATABASE_URL: 'mysql://x' },
      /^Invalid configuration: DATABASE_URL must be a sqlite: or postgres:\/\/ URL \(for example sqlite:\/\/\/.\/cartrita.db\) from the environment$/,
    ],
    [{ PUBLIC_URL: 'ftp://x' }, /PUBLIC_URL must be an http/],
    [{ SESSION_TTL_SECONDS: '0' }, /SESSION_TTL_SECONDS must be an integer between 1/],
    [{ API_HOST: 'bad host' }, /API_HOST must be a host name/],
  ];
  for (const [env, message] of cases) expect(() => loadConfig({ env })).toThrow(message);
});

it('never shows a secret in an error message', () => {
  const check = (env: Record<string, string>, secret: string) => {
    try {
      loadConfig({ env });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).not.toContain(secret);
    }
  };
  check({ API_KEY_SECRET: 'short-secret' }, 'short-secret');
  check({ DATABASE_URL: 'mysql://user:pa55word@db' }, 'pa55word');
  check({ API_KEYS: 'ops:admin:tooshort' }, 'tooshort');
  check({ API_KEYS: 'no-colons-here-but-a-secret' }, 'no-colons-here-but-a-secret');
  expect(() => loadConfig({ env: { API_KEYS: 'ops:admin:tooshort' } })).toThrow(
    'Invalid configuration: API_KEYS has an invalid entry: key "ops" has a secret shorter than 16 characters from the environment',
  );
});

it('parses API_KEYS entries, hashing secrets and keeping no plaintext', () => {
  const config = loadConfig({
    env: {
      API_KEYS:
        'ops:admin:secret-one-0123456789, widget:chat+voice:secret:with:colons, bare::secret-three-0123456',
    },
  });
  const keys = config.security.apiKeys;
  expect(keys.map((key) => [key.id, key.scopes])).toEqual([
    ['ops', ['admin']],
    ['widget', ['chat', 'voice']],
    ['bare', []],
  ]);
  expect(keys[1]?.hash.equals(hashApiKey('secret:with:colons'))).toBe(true);
  const dump = `${JSON.stringify(config)} ${inspect(config, { depth: 10 })}`;
  expect(dump).not.toMatch(/secret-one|with:colons|secret-three/);
});

it('rejects duplicate API key names', () => {
  expect(() => loadConfig({ env: { API_KEYS: 'a:x:0123456789abcdef,a:y:0123456789abcdeg' } })).toThrow(
    /key name "a" is used more than once/,
  );
});

it('treats empty environment values as unset', () => {
  const config = loadConfig({ env: { API_PORT: '', API_KEY_SECRET: '  ', CORS_ORIGINS: '' } });
  expect(config.server.port).toBe(8000);
  expect(config.security.apiKeySecret).toBeUndefined();
});

it('keeps the signing secret out of JSON and inspect output', () => {
  const config = loadConfig({ env: { API_KEY_SECRET: 'very-secret-signing-key' } });
  expect(JSON.stringify(config)).not.toContain('very-secret-signing-key');
  expect(inspect(config, { depth: 10 })).not.toContain('very-secret-signing-key');
  expect(String(config.security.apiKeySecret)).toBe('[REDACTED]');
});

it('describes the configuration publicly without secrets or database passwords', () => {
  const config = loadConfig({
    env: {
      API_KEY_SECRET: 'very-secret-signing-key',
      DATABASE_URL: 'postgres://cartrita:pa55word@db/cartrita',
      API_KEYS: 'ops:admin:0123456789abcdef',
    },
  });
  const described = publicConfig(config);
  const text = JSON.stringify(described);
  expect(text).not.toMatch(/very-secret|pa55word|0123456789abcdef/);
  expect(described.security).toMatchObject({
    apiKeySecretConfigured: true,
    apiKeys: [{ id: 'ops', scopes: ['admin'] }],
  });
  expect((described.database as { url: string }).url).toBe('postgres://cartrita:REDACTED@db/cartrita');
});

it('reads REDIS_URL as a secret, and describes it publicly without its password', () => {
  expect(loadConfig({ env: {} }).redis).toBeUndefined();
  const config = loadConfig({ env: { REDIS_URL: ' redis://:pa55word@cache.internal:6380/2 ' } });
  expect(config.redis?.url.reveal()).toBe('redis://:pa55word@cache.internal:6380/2');
  expect(config.sources.REDIS_URL).toBe('environment');
  expect(`${JSON.stringify(config)} ${inspect(config, { depth: 10 })}`).not.toContain('pa55word');
  expect(publicConfig(config).redis).toEqual({ url: 'redis://:REDACTED@cache.internal:6380/2' });
  expect(publicConfig(loadConfig({ env: {} })).redis).toBeUndefined();
  const tls = loadConfig({ env: { REDIS_URL: 'rediss://default:pa55word@cache.example' } });
  expect(publicConfig(tls).redis).toEqual({ url: 'rediss://default:REDACTED@cache.example' });
});

it('reads REDIS_URL from the YAML file, and refuses what is not a Redis URL without showing it', async () => {
  const dir = await tempDir();
  const file = join(dir, 'cartrita.yaml');
  await writeFile(file, 'cartrita:\n  redis_url: redis://127.0.0.1:6379\n');
  expect(loadConfig({ env: {}, file }).redis?.url.reveal()).toBe('redis://127.0.0.1:6379');
  for (const value of ['http://user:pa55word@cache:6379', 'redis://', 'cache:6379', 'pa55word']) {
    expect(() => loadConfig({ env: { REDIS_URL: value } })).toThrow(
      'Invalid configuration: REDIS_URL must be a redis:// or rediss:// URL (for example redis://127.0.0.1:6379) from the environment',
    );
  }
});

it('rejects unknown keys and malformed YAML, naming the file', async () => {
  const dir = await tempDir();
  const typo = join(dir, 'typo.yaml');
  await writeFile(typo, 'server:\n  prot: 8000\n');
  expect(() => loadConfig({ env: {}, file: typo })).toThrow(`unknown setting server.prot in ${typo}`);
  const broken = join(dir, 'broken.yaml');
  await writeFile(broken, 'server: [unclosed\n');
  expect(() => loadConfig({ env: {}, file: broken })).toThrow(`${broken} is not valid YAML`);
  expect(() => loadConfig({ env: {}, file: join(dir, 'missing.yaml') })).toThrow(
    /cannot read the configuration file/,
  );
  const empty = join(dir, 'empty.yaml');
  await writeFile(empty, '# nothing yet\n');
  expect(loadConfig({ env: {}, file: empty }).server.port).toBe(8000);
});

it('fails when a flag has no value', () => {
  expect(() => loadConfig({ env: {}, argv: ['--port'] })).toThrow('--port needs a value');
  expect(() => loadConfig({ env: {}, argv: ['--host', '--port', '1'] })).toThrow('--host needs a value');
});

it('reads SQLite URLs the way seed 001 writes them', () => {
  const sqlite = (DATABASE_URL: string) =>
    loadConfig({ env: { DATABASE_URL }, cwd: '/srv' }).database.sqlitePath;
  expect(sqlite('sqlite:///./llmgine.db')).toBe('/srv/llmgine.db');
  expect(sqlite('sqlite:////var/db/x.db')).toBe('/var/db/x.db');
  expect(sqlite('sqlite:///:memory:')).toBe(':memory:');
  expect(sqlite('sqlite://')).toBe(':memory:');
});

it('adds the server origin and the public URL to the default CORS origins', () => {
  expect(defaultCorsOrigins('0.0.0.0', 9000, 'https://chat.example/base')).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://0.0.0.0:9000',
    'http://127.0.0.1:9000',
    'http://localhost:9000',
    'https://chat.example',
  ]);
  expect(defaultCorsOrigins('10.1.2.3', 80)).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://10.1.2.3:80',
  ]);
  expect(loadConfig({ env: { API_PORT: '3000' } }).security.corsOrigins).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
  ]);
});

it('makes a signing secret once, keeps it in secret.key with mode 0600 and reuses it', async () => {
  const dir = join(await tempDir(), 'data');
  const config = loadConfig({ env: { DATA_DIR: dir } });
  const first = await resolveSigningSecret(config);
  expect(first).toHaveLength(32);
  const file = join(dir, 'secret.key');
  expect((await stat(file)).mode & 0o777).toBe(0o600);
  expect((await readFile(file, 'utf8')).trim()).toBe(first.toString('hex'));
  const again = await resolveSigningSecret(loadConfig({ env: { DATA_DIR: dir } }));
  expect(again.equals(first)).toBe(true);
  expect(await readdir(dir)).toEqual(['secret.key']);
});

it('agrees on one signing secret when two starts race', async () => {
  const dir = join(await tempDir(), 'data');
  const config = loadConfig({ env: { DATA_DIR: dir } });
  const [a, b] = await Promise.all([resolveSigningSecret(config), resolveSigningSecret(config)]);
  expect(a.equals(b)).toBe(true);
  expect(await readdir(dir)).toEqual(['secret.key']);
});

it('uses API_KEY_SECRET as the signing secret when set, writing no file', async () => {
  const dir = join(await tempDir(), 'data');
  const config = loadConfig({ env: { DATA_DIR: dir, API_KEY_SECRET: 'configured-signing-secret' } });
  expect((await resolveSigningSecret(config)).toString('utf8')).toBe('configured-signing-secret');
  await expect(stat(join(dir, 'secret.key'))).rejects.toThrow(/ENOENT/);
});

it('refuses a damaged secret.key', async () => {
  const dir = await tempDir();
  await writeFile(join(dir, 'secret.key'), 'not hex\n', { mode: 0o600 });
  await expect(resolveSigningSecret(loadConfig({ env: { DATA_DIR: dir } }))).rejects.toThrow(ConfigError);
});

const computerUseDefaults = { model: 'computer-use-preview', maxSteps: 30, timeoutMs: 600000 };

it('uses the demo provider and no openai provider by default', () => {
  expect(loadConfig({ env: {} }).providers).toEqual({
    default: 'demo',
    computerUse: computerUseDefaults,
    voice: { openaiModel: 'whisper-1', maxBytes: 25 * 1024 * 1024 },
  });
});

it('reads the openai provider settings from the environment', () => {
  const config = loadConfig({
    env: {
      CHAT_PROVIDER: 'OpenAI',
      OPENAI_API_KEY: 'sk-test-key-0123456789',
      OPENAI_BASE_URL: 'http://localhost:11434/v1/',
      OPENAI_MODEL: 'llama3.2',
      OPENAI_TEMPERATURE: '0.7',
      OPENAI_TOP_P: '.9',
      OPENAI_MAX_TOKENS: '512',
      OPENAI_TIMEOUT_MS: '30000',
    },
  });
  const { openai, ...rest } = config.providers;
  expect(rest).toEqual({
    default: 'openai',
    computerUse: computerUseDefaults,
    voice: { default: 'openai', openaiModel: 'whisper-1', maxBytes: 25 * 1024 * 1024 },
  });
  expect(openai?.apiKey.reveal()).toBe('sk-test-key-0123456789');
  expect({ ...openai, apiKey: undefined }).toEqual({
    apiKey: undefined,
    baseURL: 'http://localhost:11434/v1',
    model: 'llama3.2',
    parameters: { temperature: 0.7, top_p: 0.9, max_tokens: 512 },
    timeoutMs: 30000,
  });
  expect(config.sources).toMatchObject({ CHAT_PROVIDER: 'environment', OPENAI_API_KEY: 'environment' });
});

it('configures openai with its defaults whenever a key is set, also beside the demo default', () => {
  const { providers } = loadConfig({ env: { OPENAI_API_KEY: 'ollama' } });
  expect(providers.default).toBe('demo');
  expect(providers.openai).toMatchObject({ model: 'gpt-4o-mini', parameters: {}, timeoutMs: 120000 });
  expect(providers.openai?.baseURL).toBeUndefined();
});

it('reads the provider settings from the cartrita section of the YAML file', async () => {
  const dir = await tempDir();
  const file = join(dir, 'config.yaml');
  await writeFile(
    file,
    `cartrita:
  chat_provider: openai
  openai_api_key: sk-from-the-file-0123
  openai_base_url: http://vllm.internal:8000/v1
  openai_model: Qwen/Qwen2.5-7B-Instruct
  openai_temperature: 0
  openai_max_tokens: 256
  openai_timeout_ms: 5000
`,
  );
  const { providers } = loadConfig({ env: {}, file });
  expect(providers.default).toBe('openai');
  expect(providers.openai?.apiKey.reveal()).toBe('sk-from-the-file-0123');
  expect(providers.openai).toMatchObject({
    baseURL: 'http://vllm.internal:8000/v1',
    model: 'Qwen/Qwen2.5-7B-Instruct',
    parameters: { temperature: 0, max_tokens: 256 },
    timeoutMs: 5000,
  });
});

it('refuses CHAT_PROVIDER=openai without OPENAI_API_KEY, naming both', () => {
  expect(() => loadConfig({ env: { CHAT_PROVIDER: 'openai' } })).toThrow(ConfigError);
  expect(() => loadConfig({ env: { CHAT_PROVIDER: 'openai', OPENAI_API_KEY: ' ' } })).toThrow(
    /CHAT_PROVIDER is openai but OPENAI_API_KEY is not set/,
  );
});

it('rejects invalid provider settings', () => {
  const cases: [Record<string, string>, RegExp][] = [
    [{ CHAT_PROVIDER: 'huggingface' }, /CHAT_PROVIDER is huggingface but HUGGINGFACE_API_KEY is not set/],
    [{ COMPUTER_USE_MAX_STEPS: '0' }, /COMPUTER_USE_MAX_STEPS must be an integer between 1 and 500/],
    [
      { CHAT_PROVIDER: 'anthropic' },
      /CHAT_PROVIDER must be one of demo, openai, huggingface \(got "anthropic"\)/,
    ],
    [{ OPENAI_BASE_URL: 'localhost:11434/v1' }, /OPENAI_BASE_URL must be an http/],
    [{ OPENAI_BASE_URL: 'https://user:pw@llm.example/v1' }, /OPENAI_BASE_URL must be an http/],
    [{ OPENAI_TEMPERATURE: '2.5' }, /OPENAI_TEMPERATURE must be a number between 0 and 2/],
    [{ OPENAI_TEMPERATURE: 'warm' }, /OPENAI_TEMPERATURE must be a number between 0 and 2/],
    [{ OPENAI_TOP_P: '1.5' }, /OPENAI_TOP_P must be a number between 0 and 1/],
    [{ OPENAI_MAX_TOKENS: '0' }, /OPENAI_MAX_TOKENS must be an integer between 1/],
    [{ OPENAI_TIMEOUT_MS: '-1' }, /OPENAI_TIMEOUT_MS must be an integer between 1/],
  ];
  for (const [env, message] of cases) expect(() => loadConfig({ env })).toThrow(message);
});

it('never shows the provider key in errors, JSON, inspect output or the public configuration', async () => {
  const dir = await tempDir();
  const file = join(dir, 'config.yaml');
  await writeFile(file, 'cartrita:\n  openai_api_key: [sk-in-a-list-0123]\n');
  expect(() => loadConfig({ env: {}, file })).toThrow(
    `Invalid configuration: cartrita.openai_api_key must be a non-empty string from ${file}`,
  );
  const config = loadConfig({
    env: {
      OPENAI_API_KEY: 'sk-very-secret-provider-key',
      GITHUB_API_KEY: 'ghp_very_secret_github_token',
      HUGGINGFACE_API_KEY: 'hf_verysecrethuggingfacetoken',
    },
  });
  const described = publicConfig(config);
  const dump = `${JSON.stringify(config)} ${inspect(config, { depth: 10 })} ${JSON.stringify(described)}`;
  expect(dump).not.toContain('sk-very-secret-provider-key');
  expect(dump).not.toContain('ghp_very_secret_github_token');
  expect(dump).not.toContain('hf_verysecrethuggingfacetoken');
  expect(described.providers).toEqual({
    default: 'demo',
    openai: { model: 'gpt-4o-mini', parameters: {}, timeoutMs: 120000, apiKeyConfigured: true },
    github: { timeoutMs: 30000, apiKeyConfigured: true },
    huggingface: { model: 'meta-llama/Llama-3.1-8B-Instruct', timeoutMs: 120000, apiKeyConfigured: true },
    computerUse: computerUseDefaults,
    voice: { default: 'openai', openaiModel: 'whisper-1', maxBytes: 25 * 1024 * 1024 },
  });
});

it('reads the search and voice providers, and never shows their keys', () => {
  const config = loadConfig({
    env: {
      TAVILY_API_KEY: 'tvly-very-secret-0123',
      TAVILY_SEARCH_DEPTH: 'Advanced',
      DEEPGRAM_API_KEY: 'dg-very-secret-0123',
      DEEPGRAM_MODEL: 'nova-2',
      OPENAI_API_KEY: 'sk-very-secret-0123',
      OPENAI_TRANSCRIPTION_MODEL: 'gpt-4o-mini-transcribe',
      VOICE_MAX_BYTES: '10mb',
    },
  });
  const { tavily, deepgram, voice } = config.providers;
  expect([tavily?.apiKey.reveal(), deepgram?.apiKey.reveal()]).toEqual([
    'tvly-very-secret-0123',
    'dg-very-secret-0123',
  ]);
  expect({ ...tavily, apiKey: undefined }).toEqual({
    apiKey: undefined,
    baseUrl: 'https://api.tavily.com',
    searchDepth: 'advanced',
    timeoutMs: 30000,
  });
  expect({ ...deepgram, apiKey: undefined }).toEqual({
    apiKey: undefined,
    baseUrl: 'https://api.deepgram.com',
    model: 'nova-2',
    timeoutMs: 120000,
  });
  // Deepgram comes first when both voice providers are configured.
  expect(voice).toEqual({
    default: 'deepgram',
    openaiModel: 'gpt-4o-mini-transcribe',
    maxBytes: 10 * 1024 * 1024,
  });
  const described = JSON.stringify(publicConfig(config));
  for (const secret of ['tvly-very-secret', 'dg-very-secret', 'sk-very-secret']) {
    expect(`${described} ${inspect(config, { depth: 10 })}`).not.toContain(secret);
  }
  expect(publicConfig(config).providers).toMatchObject({
    tavily: { apiKeyConfigured: true },
    deepgram: { apiKeyConfigured: true },
  });
});

it('takes VOICE_PROVIDER only for a configured voice provider', () => {
  const both = { DEEPGRAM_API_KEY: 'dg-key-0123', OPENAI_API_KEY: 'sk-key-0123' };
  expect(loadConfig({ env: { ...both, VOICE_PROVIDER: 'OpenAI' } }).providers.voice.default).toBe('openai');
  expect(() => loadConfig({ env: { VOICE_PROVIDER: 'deepgram' } })).toThrow(
    'Invalid configuration: VOICE_PROVIDER is deepgram but DEEPGRAM_API_KEY is not set',
  );
  expect(() => loadConfig({ env: { VOICE_PROVIDER: 'whisper' } })).toThrow(
    /VOICE_PROVIDER must be one of deepgram, openai/,
  );
  expect(() => loadConfig({ env: { TAVILY_SEARCH_DEPTH: 'deep' } })).toThrow(
    /TAVILY_SEARCH_DEPTH must be one of basic, advanced/,
  );
});

/** The modules a module imports statically (`import`/`export ... from`): the paths of their sources. */
const staticImports = async (file: string): Promise<string[]> => {
  const source = await readFile(file, 'utf8');
  return [...source.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)\.js';/gms)].map((match) =>
    join(dirname(file), `${match[1]}.ts`),
  );
};

it('loads the configuration without an import cycle', async () => {
  const src = dirname(fileURLToPath(import.meta.url));
  const cycles: string[] = [];
  const done = new Set<string>();
  const walk = async (file: string, path: string[]): Promise<void> => {
    if (path.includes(file)) {
      cycles.push([...path.slice(path.indexOf(file)), file].map((item) => relative(src, item)).join(' -> '));
      return;
    }
    if (done.has(file)) return;
    for (const next of await staticImports(file)) await walk(next, [...path, file]);
    done.add(file);
  };
  await walk(join(src, 'config.ts'), []);
  await walk(join(src, 'config/flag-help.ts'), []);
  expect(cycles).toEqual([]);
});

it('reads the per-provider limits and the provider cache, with the seed’s defaults', async () => {
  const defaults = loadConfig({ env: {} }).providerCalls;
  expect(defaults).toEqual({
    limits: {
      openai: { perWindow: 100, windowMs: 60_000 },
      huggingface: { perWindow: 200, windowMs: 60_000 },
      deepgram: { perWindow: 30, windowMs: 60_000 },
      tavily: { perWindow: 100, windowMs: 60_000 },
      github: { perWindow: 500, windowMs: 3_600_000 },
    },
    queueTimeoutMs: 30_000,
    cache: { ttlMs: 300_000, maxEntries: 1000, maxEntryBytes: 256 * 1024 },
  });
  const dir = await tempDir();
  const file = join(dir, 'cartrita.yaml');
  await writeFile(
    file,
    `providers:
  rate_limit_deepgram_per_minute: 5
  rate_limit_github_per_hour: 60
  cache_ttl_seconds: 0
`,
  );
  const configured = loadConfig({
    env: { RATE_LIMIT_OPENAI_PER_MINUTE: '10', PROVIDER_QUEUE_TIMEOUT_MS: '5000' },
    file,
  }).providerCalls;
  expect(configured.limits.openai).toEqual({ perWindow: 10, windowMs: 60_000 });
  expect(configured.limits.deepgram).toEqual({ perWindow: 5, windowMs: 60_000 });
  expect(configured.limits.github).toEqual({ perWindow: 60, windowMs: 3_600_000 });
  expect(configured.queueTimeoutMs).toBe(5000);
  expect(configured.cache.ttlMs).toBe(0);
});

it('reads LANGFUSE_HOST, the name Langfuse’s SDKs use, over LANGFUSE_BASE_URL', () => {
  const { observability } = loadConfig({
    env: {
      LANGFUSE_PUBLIC_KEY: 'pk-lf-1',
      LANGFUSE_SECRET_KEY: 'sk-lf-1',
      LANGFUSE_HOST: 'https://lf.example',
    },
  });
  expect(observability.langfuse?.baseUrl).toBe('https://lf.example');
});
