import { describe, expect, it } from 'vitest';
import { HttpError } from '../errors.js';
import { contextSettings } from './context.js';
import { createInMemoryConfigAreaRepositories } from './memory.js';
import { ConfigService, defaultConfigSections, type FileSections } from './service.js';

const failure = async (promise: Promise<unknown>) => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof HttpError) return { status: error.status, code: error.code, details: error.details };
    throw error;
  }
  throw new Error('Expected the call to fail');
};

describe('the configuration sections', () => {
  it('layers the file’s sections and the stored changes over the defaults', async () => {
    const { configSections } = createInMemoryConfigAreaRepositories();
    await configSections.put({
      config_type: 'context',
      overrides: { chunk_overlap: 100 },
      updated_at: '2026-12-01T10:00:00.000Z',
    });
    const config = new ConfigService({
      repository: configSections,
      readFile: () => ({ context: { chunk_size: 500, chunk_overlap: 50 }, planner: { max_steps: 3 } }),
    });
    const all = await config.all();
    expect(all.context).toEqual({
      chunk_size: 500,
      chunk_overlap: 100,
      max_chunks_per_prompt: 5,
      max_context_chars: 8000,
    });
    expect(all.planner).toEqual({ enabled: true, max_steps: 3, timeout_seconds: 60 });
    expect(all.memory).toEqual(defaultConfigSections().memory);
    expect(contextSettings(config)).toEqual({
      chunkSize: 500,
      chunkOverlap: 100,
      maxChunksPerPrompt: 5,
      maxContextChars: 8000,
    });
  });

  it('stores a valid change, and refuses an invalid one without changing anything', async () => {
    const { configSections } = createInMemoryConfigAreaRepositories();
    const config = new ConfigService({ repository: configSections });
    const changed = await config.update('context', { updates: { chunk_size: 400 } });
    expect(changed.config).toMatchObject({ chunk_size: 400, chunk_overlap: 200 });
    expect(await failure(config.update('context', { updates: { chunk_overlap: 400 } }))).toEqual({
      status: 422,
      code: 'VALIDATION_ERROR',
      details: {
        config_type: 'context',
        fields: [
          { path: 'body.updates.chunk_overlap', message: 'chunk_overlap must be smaller than chunk_size' },
        ],
      },
    });
    expect(config.current('context').chunk_overlap).toBe(200);
    expect((await configSections.all()).map((row) => [row.config_type, row.overrides])).toEqual([
      ['context', { chunk_size: 400 }],
    ]);
    expect((await failure(config.update('memory', { config_type: 'context', updates: {} }))).status).toBe(
      422,
    );
    expect((await failure(config.get('nonsense'))).code).toBe('NOT_FOUND');
  });

  it('reloads the file, and refuses a file whose section is invalid', async () => {
    let file: FileSections = { memory: { retention_days: 10 } };
    const config = new ConfigService({
      repository: createInMemoryConfigAreaRepositories().configSections,
      readFile: () => file,
    });
    expect((await config.get('memory')).config).toMatchObject({ retention_days: 10 });
    file = { memory: { retention_days: 20 } };
    expect((await config.reload()).memory.retention_days).toBe(20);
    file = { memory: { retention_days: -1 } };
    expect((await failure(config.reload())).status).toBe(422);
    expect(config.current('memory').retention_days).toBe(20);
  });

  it('keeps the defaults of a section the file makes invalid, and says why when asked', async () => {
    const config = new ConfigService({
      repository: createInMemoryConfigAreaRepositories().configSections,
      readFile: () => ({ planner: { max_steps: 0 } }),
    });
    expect((await config.get('planner')).config).toEqual(defaultConfigSections().planner);
    const validation = await config.validate('planner');
    expect(validation.valid).toBe(false);
    expect(validation.errors.map((issue) => issue.path)).toEqual(['max_steps']);
    expect(await config.validate('memory')).toEqual({ valid: true, errors: [] });
  });
});
