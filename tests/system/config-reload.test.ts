/**
 * The configuration sections of a real server: the YAML file's sections over the defaults, a change
 * stored through `PUT /config/{config_type}`, `POST /config/reload` reading an edited file (and
 * refusing one whose section is invalid), and the stored change still in effect after a restart on
 * the same database, on SQLite and on PostgreSQL.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigSectionResponse, ConfigSections, ErrorEnvelope } from '@cartrita/contracts';
import { describe, expect, it, onTestFinished } from 'vitest';
import { startTestServer } from '../../reference-server/src/testing.js';
import { postgresWorkerDatabaseUrl } from '../engines.js';
import { createTestPostgresSchema } from '../postgres.js';

const key = 'config-admin-key-0123456789abcdef';

const api = (url: string) => async (method: string, path: string, body?: unknown) => {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'x-api-key': key, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
};

/** A data directory and a database of the engine's, kept across the test's two servers. */
const storage = async (
  engine: 'sqlite' | 'postgres',
): Promise<{ dataDir: string; env: Record<string, string> }> => {
  const dataDir = await mkdtemp(join(tmpdir(), 'cartrita-config-'));
  onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
  if (engine === 'sqlite') return { dataDir, env: { DATA_DIR: dataDir } };
  const schema = await createTestPostgresSchema(await postgresWorkerDatabaseUrl());
  onTestFinished(() => schema.drop());
  return { dataDir, env: { DATA_DIR: dataDir, DATABASE_URL: schema.url } };
};

describe.each(['sqlite', 'postgres'] as const)('configuration sections on %s', (engine) => {
  it('reads the file, keeps a change across a reload and a restart, and refuses an invalid file', async () => {
    const { dataDir, env } = await storage(engine);
    const file = join(dataDir, 'cartrita.yaml');
    await writeFile(file, 'memory:\n  max_memories_per_prompt: 3\ncontext:\n  chunk_size: 800\n');
    const settings = { ...env, CARTRITA_CONFIG: file, API_KEYS: `ops:admin:${key}` };

    const first = await startTestServer({ env: settings });
    let call = api(first.url);
    const initial = ConfigSections.parse((await call('GET', '/config/')).body);
    expect(initial.memory.max_memories_per_prompt).toBe(3);
    expect(initial.context).toEqual({
      chunk_size: 800,
      chunk_overlap: 200,
      max_chunks_per_prompt: 5,
      max_context_chars: 8000,
    });
    const changed = await call('PUT', '/config/planner', { updates: { max_steps: 4 } });
    expect(changed.status).toBe(200);
    expect(ConfigSectionResponse.parse(changed.body).config).toEqual({
      enabled: true,
      max_steps: 4,
      timeout_seconds: 60,
    });

    // An edited file takes effect on reload, under the stored change.
    await writeFile(
      file,
      'memory:\n  max_memories_per_prompt: 2\ncontext:\n  chunk_size: 900\n  chunk_overlap: 100\nplanner:\n  max_steps: 8\n',
    );
    expect(ConfigSections.parse((await call('GET', '/config/')).body).memory.max_memories_per_prompt).toBe(3);
    const reloaded = await call('POST', '/config/reload');
    expect(reloaded.status).toBe(200);
    const after = ConfigSections.parse(reloaded.body);
    expect(after.memory.max_memories_per_prompt).toBe(2);
    expect(after.context).toMatchObject({ chunk_size: 900, chunk_overlap: 100 });
    expect(after.planner.max_steps).toBe(4);

    // A file whose section is invalid, or that is not YAML, is refused, and nothing changes.
    await writeFile(file, 'context:\n  chunk_size: 300\n  chunk_overlap: 300\n');
    const invalid = await call('POST', '/config/reload');
    expect(invalid.status).toBe(422);
    expect(ErrorEnvelope.parse(invalid.body).error.code).toBe('VALIDATION_ERROR');
    await writeFile(file, 'memory: [unclosed\n');
    expect((await call('POST', '/config/reload')).status).toBe(422);
    expect(ConfigSections.parse((await call('GET', '/config/')).body)).toEqual(after);
    await first.close();

    // A new process over the same database starts with the stored change over the file.
    await writeFile(file, 'planner:\n  max_steps: 9\n  timeout_seconds: 30\n');
    const second = await startTestServer({ env: settings });
    onTestFinished(() => second.close());
    call = api(second.url);
    const restarted = ConfigSections.parse((await call('GET', '/config/')).body);
    expect(restarted.planner).toEqual({ enabled: true, max_steps: 4, timeout_seconds: 30 });
    expect(restarted.memory.max_memories_per_prompt).toBe(5);
  });

  it('refuses to start with a configuration file whose section is invalid', async () => {
    const { dataDir, env } = await storage(engine);
    const file = join(dataDir, 'cartrita.yaml');
    await writeFile(file, 'memory:\n  retention_days: -1\n');
    await expect(startTestServer({ env: { ...env, CARTRITA_CONFIG: file } })).rejects.toThrow(
      /Invalid configuration: memory\.retention_days .* in .*cartrita\.yaml/,
    );
  });
});
