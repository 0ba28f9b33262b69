// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates here write `${variable}` placeholders
import type { StoredModule, StoredPersona } from '@cartrita/engine';
import { describe, expect, it } from 'vitest';
import { implementations } from './implementations.js';

const at = '2026-12-06T10:00:00.000Z';
const later = '2026-12-06T11:00:00.000Z';

const persona = (id: string, user_id: string, overrides: Partial<StoredPersona> = {}): StoredPersona => ({
  id,
  user_id,
  name: `Persona ${id}`,
  description: null,
  template: 'You are @tone. Hello ${name}.',
  mode: 'reactive',
  first_message: null,
  image_path: null,
  is_active: true,
  created_at: at,
  updated_at: at,
  ...overrides,
});

const module = (
  id: string,
  user_id: string,
  name: string,
  overrides: Partial<StoredModule> = {},
): StoredModule => ({
  id,
  user_id,
  name,
  description: null,
  type: 'simple',
  content: `text of ${name}`,
  script: null,
  trigger_pattern: null,
  execution_stage: null,
  plugin_functions: [],
  is_active: true,
  created_at: at,
  updated_at: at,
  ...overrides,
});

describe.each(implementations)('persona area repositories on $name', (implementation) => {
  it('keeps personas with every field, each reachable only by its user', async () => {
    const { store } = await implementation.open();
    const full = persona('p1', 'usr_a', {
      description: 'A guide',
      mode: 'autonomous',
      first_message: 'Hi!',
      image_path: '/api/personas/images/0b5e1c9a-2f1d-4c1e-9a57-3d1c2b7e6f10.png',
      is_active: false,
    });
    expect(await store.personas.create(full)).toEqual(full);
    expect(await store.personas.get('usr_a', 'p1')).toEqual(full);
    expect(await store.personas.get('usr_b', 'p1')).toBeUndefined();
    expect(await store.personas.update('usr_b', 'p1', { name: 'Stolen', updated_at: later })).toBeUndefined();
    expect(await store.personas.delete('usr_b', 'p1')).toBe(false);
    expect((await store.personas.get('usr_a', 'p1'))?.name).toBe('Persona p1');
  });

  it('lists a user’s personas oldest first, filtered by activity', async () => {
    const { store } = await implementation.open();
    await store.personas.create(persona('p1', 'usr_a'));
    await store.personas.create(persona('p2', 'usr_a', { is_active: false }));
    await store.personas.create(persona('p3', 'usr_b'));
    await store.personas.create(persona('p4', 'usr_a'));
    const ids = async (filter: { user_id: string; active?: boolean }) =>
      (await store.personas.list(filter)).map((row) => row.id);
    expect(await ids({ user_id: 'usr_a' })).toEqual(['p1', 'p2', 'p4']);
    expect(await ids({ user_id: 'usr_a', active: true })).toEqual(['p1', 'p4']);
    expect(await ids({ user_id: 'usr_a', active: false })).toEqual(['p2']);
    expect(await ids({ user_id: 'usr_b' })).toEqual(['p3']);
  });

  it('updates the fields given, clears with null, and deletes', async () => {
    const { store } = await implementation.open();
    await store.personas.create(persona('p1', 'usr_a', { description: 'old' }));
    const updated = await store.personas.update('usr_a', 'p1', {
      description: null,
      is_active: false,
      mode: 'autonomous',
      updated_at: later,
    });
    expect(updated).toEqual(
      persona('p1', 'usr_a', { description: null, is_active: false, mode: 'autonomous', updated_at: later }),
    );
    expect(await store.personas.delete('usr_a', 'p1')).toBe(true);
    expect(await store.personas.get('usr_a', 'p1')).toBeUndefined();
    expect(await store.personas.delete('usr_a', 'p1')).toBe(false);
  });

  it('keeps modules with their script and plugin functions, names unique per user', async () => {
    const { store } = await implementation.open();
    const advanced = module('m1', 'usr_a', 'greeter', {
      type: 'advanced',
      content: '${greeting}',
      script: 'ctx.set_output("greeting", "Hello!")',
      plugin_functions: ['set_output'],
      trigger_pattern: 'hello|hi',
      execution_stage: 'pre_response',
    });
    expect(await store.modules.create(advanced)).toEqual(advanced);
    expect(await store.modules.create(module('m2', 'usr_a', 'greeter'))).toBeUndefined();
    expect(await store.modules.create(module('m3', 'usr_b', 'greeter'))).toEqual(
      module('m3', 'usr_b', 'greeter'),
    );
    expect(await store.modules.byName('usr_a', 'greeter')).toEqual(advanced);
    expect((await store.modules.byName('usr_b', 'greeter'))?.id).toBe('m3');
    expect(await store.modules.byName('usr_c', 'greeter')).toBeUndefined();
    expect(await store.modules.get('usr_b', 'm1')).toBeUndefined();
  });

  it('lists modules oldest first by type and activity, and refuses a rename onto another’s name', async () => {
    const { store } = await implementation.open();
    await store.modules.create(module('m1', 'usr_a', 'b_tone'));
    await store.modules.create(
      module('m2', 'usr_a', 'a_calc', { type: 'advanced', script: '1', is_active: false }),
    );
    await store.modules.create(module('m3', 'usr_a', 'c_rules'));
    const ids = async (filter: Parameters<typeof store.modules.list>[0]) =>
      (await store.modules.list(filter)).map((row) => row.id);
    expect(await ids({ user_id: 'usr_a' })).toEqual(['m1', 'm2', 'm3']);
    expect(await ids({ user_id: 'usr_a', type: 'advanced' })).toEqual(['m2']);
    expect(await ids({ user_id: 'usr_a', type: 'simple', active: true })).toEqual(['m1', 'm3']);
    expect(await ids({ user_id: 'usr_a', active: false })).toEqual(['m2']);
    expect(await store.modules.update('usr_a', 'm1', { name: 'c_rules', updated_at: later })).toBe(
      'conflict',
    );
    expect(
      await store.modules.update('usr_a', 'm1', { name: 'b_tone', content: 'calm', updated_at: later }),
    ).toEqual(module('m1', 'usr_a', 'b_tone', { content: 'calm', updated_at: later }));
    expect(
      await store.modules.update('usr_a', 'm2', {
        plugin_functions: ['log'],
        is_active: true,
        updated_at: later,
      }),
    ).toMatchObject({ plugin_functions: ['log'], is_active: true });
    expect(await store.modules.update('usr_b', 'm1', { content: 'x', updated_at: later })).toBeUndefined();
    expect(await store.modules.delete('usr_b', 'm1')).toBe(false);
    expect(await store.modules.delete('usr_a', 'm1')).toBe(true);
    expect(await ids({ user_id: 'usr_a' })).toEqual(['m2', 'm3']);
  });
});
