// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates write `${variable}` placeholders
import { createQuickJsSandbox } from '@cartrita/engine/quickjs';
import { createStore } from '@cartrita/msw';
import { setupCartritaServer } from '@cartrita/msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CartritaClient } from '../client.js';
import { isAPIError } from '../core/errors.js';

const baseURL = 'http://personas.test';
const apiKey = 'test-key-personas-0123456789';
const store = createStore({ baseURL, apiKeys: [apiKey], sandbox: createQuickJsSandbox() });
const mock = setupCartritaServer({ store });

beforeAll(() => mock.listen({ onUnhandledFrame: 'error' }));
afterEach(() => mock.reset());
afterAll(() => mock.close());

/** A PNG's signature and header chunk: enough for its type to be known by content. */
const pngHead = new Uint8Array([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1,
  8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde,
]);
/** A tEXt chunk (`Comment`, `at home`): metadata the upload removes. */
const textChunk = new Uint8Array([
  0,
  0,
  0,
  15,
  0x74,
  0x45,
  0x58,
  0x74,
  ...new TextEncoder().encode('Comment\0at home'),
  0,
  0,
  0,
  0,
]);
const iend = new Uint8Array([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82]);

describe('client.personas, client.modules and client.templates', () => {
  it('creates, lists, updates and deletes a persona', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const persona = await client.personas.create({ name: 'Guide', template: 'You are @tone.' });
    expect(persona).toMatchObject({ name: 'Guide', mode: 'reactive', is_active: true, image_path: null });
    expect((await client.personas.list({ active: true })).personas.map((each) => each.id)).toEqual([
      persona.id,
    ]);
    await client.personas.update(persona.id, { is_active: false });
    expect((await client.personas.list({ active: true })).total).toBe(0);
    expect(await client.personas.delete(persona.id)).toEqual({ id: persona.id, deleted: true });
    const missing = await client.personas.get(persona.id).catch((error: unknown) => error);
    expect(isAPIError(missing) && [missing.status, missing.code]).toEqual([404, 'NOT_FOUND']);
  });

  it('uploads an image without its text chunk and reads it back', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    const { image_path } = await client.personas.uploadImage(
      new Blob([pngHead, textChunk, iend], { type: 'image/png' }),
      'face.png',
    );
    const image = await client.personas.image(image_path);
    expect(image.type).toBe('image/png');
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(new Uint8Array([...pngHead, ...iend]));
  });

  it('tests a script, saves modules and resolves a template with them', async () => {
    const client = new CartritaClient({ baseURL, apiKey });
    expect(await client.modules.testScript({ script: 'ctx.set_output("greeting", "Hello!")' })).toEqual({
      success: true,
      outputs: { greeting: 'Hello!' },
      logs: [],
      error: null,
    });
    expect((await client.modules.pluginFunctions()).total).toBe(4);
    await client.modules.create({ name: 'tone', content: 'calm' });
    const greeter = await client.modules.create({
      name: 'greeter',
      type: 'advanced',
      content: '${greeting}, ${name}',
      script: 'ctx.set_output("greeting", "Hi")',
    });
    expect(greeter.plugin_functions).toEqual(['set_output']);
    expect((await client.modules.list({ type: 'advanced' })).modules.map((each) => each.name)).toEqual([
      'greeter',
    ]);
    expect(
      await client.templates.resolve({ template: '@tone. @greeter', variables: { name: 'Ada' } }),
    ).toEqual({
      resolved: 'calm. Hi, Ada',
      modules_used: ['tone', 'greeter'],
    });
  });
});
