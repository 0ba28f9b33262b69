// biome-ignore-all lint/suspicious/noTemplateCurlyInString: module contents write `${name}` placeholders
import { describe, expect, it } from 'vitest';
import { isHttpError } from '../errors.js';
import { personaTestEngine } from './test-engine.js';

const user = 'usr_modules';

const refusal = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isHttpError(error)) throw new Error(`Expected an HttpError, got ${String(error)}`);
  return { status: error.status, code: error.code, message: error.message };
};

describe('module scripts', () => {
  it('runs the seed’s example as written: a body that calls ctx.set_output', async () => {
    const { engine } = personaTestEngine();
    const result = await engine.modules.testScript(
      { script: 'ctx.set_output("greeting", "Hello!")', variables: {} },
      user,
    );
    expect(result).toEqual({ success: true, outputs: { greeting: 'Hello!' }, logs: [], error: null });
  });

  it('runs a function taking ctx, with variables, logs and the time', async () => {
    const { engine } = personaTestEngine();
    const result = await engine.modules.testScript(
      {
        script: `async function run(ctx) {
          ctx.log('counting');
          console.log('items', ctx.variables.items.length);
          ctx.set_output('count', ctx.get_variable('items').length);
          ctx.set_output('missing', ctx.get_variable('nope', 'fallback'));
          ctx.set_output('timed', typeof ctx.get_current_time());
        }`,
        variables: { items: [1, 2, 3] },
      },
      user,
    );
    expect(result).toEqual({
      success: true,
      outputs: { count: 3, missing: 'fallback', timed: 'string' },
      logs: [
        { level: 'info', message: 'counting' },
        { level: 'info', message: 'items 3' },
      ],
      error: null,
    });
  });

  it('ends a loop and a memory bomb with success false, never a throw', async () => {
    const { engine } = personaTestEngine(300);
    const loop = await engine.modules.testScript({ script: 'while (true) {}', variables: {} }, user);
    expect(loop.success).toBe(false);
    expect(loop.error).toMatch(/^timeout: /);
    const bomb = await engine.modules.testScript(
      { script: 'const a = []; for (;;) a.push(new Array(100000).fill("x"));', variables: {} },
      user,
    );
    expect(bomb.success).toBe(false);
    expect(bomb.error).toMatch(/^memory: /);
    const thrown = await engine.modules.testScript(
      { script: 'throw new Error("nope")', variables: {} },
      user,
    );
    expect(thrown).toEqual({ success: false, outputs: {}, logs: [], error: 'runtime: Error: nope' });
  });

  it('tells a Python script that scripts are JavaScript', async () => {
    const { engine } = personaTestEngine();
    const python = 'def run(ctx):\n    ctx.set_output("greeting", "Hello!")\n';
    const tested = await engine.modules.testScript({ script: python, variables: {} }, user);
    expect(tested.success).toBe(false);
    expect(tested.error).toContain('Module scripts are JavaScript');
    const saved = await refusal(
      engine.modules.create(
        { name: 'py', type: 'advanced', content: '${greeting}', script: python, is_active: true },
        user,
      ),
    );
    expect(saved.status).toBe(422);
    expect(saved.message).toContain('Module scripts are JavaScript');
  });
});

describe('modules', () => {
  it('records the plugin functions a saved script calls', async () => {
    const { engine } = personaTestEngine();
    const module = await engine.modules.create(
      {
        name: 'clock',
        type: 'advanced',
        content: 'It is ${now}.',
        script: 'ctx.set_output("now", ctx.get_current_time()); ctx.log("set")',
        is_active: true,
      },
      user,
    );
    expect(module.plugin_functions).toEqual(['set_output', 'get_current_time', 'log']);
    const changed = await engine.modules.update(
      module.id,
      { script: 'ctx.set_output("now", "later")' },
      user,
    );
    expect(changed.plugin_functions).toEqual(['set_output']);
    expect(engine.modules.pluginFunctions().functions.map((fn) => fn.name)).toEqual([
      'set_output',
      'get_variable',
      'get_current_time',
      'log',
    ]);
  });

  it('refuses an advanced module without a script, a simple one with one, and a taken name', async () => {
    const { engine } = personaTestEngine();
    expect(
      (
        await refusal(
          engine.modules.create({ name: 'a', type: 'advanced', content: '', is_active: true }, user),
        )
      ).status,
    ).toBe(422);
    expect(
      (
        await refusal(
          engine.modules.create(
            { name: 'b', type: 'simple', content: '', script: 'ctx.log(1)', is_active: true },
            user,
          ),
        )
      ).status,
    ).toBe(422);
    await engine.modules.create({ name: 'tone', type: 'simple', content: 'calm', is_active: true }, user);
    expect(
      await refusal(
        engine.modules.create({ name: 'tone', type: 'simple', content: 'x', is_active: true }, user),
      ),
    ).toEqual({ status: 409, code: 'CONFLICT', message: 'A module named "tone" already exists.' });
  });

  it('drops the script of a module made simple', async () => {
    const { engine } = personaTestEngine();
    const module = await engine.modules.create(
      { name: 'adv', type: 'advanced', content: '${x}', script: 'ctx.set_output("x", 1)', is_active: true },
      user,
    );
    const simple = await engine.modules.update(module.id, { type: 'simple', content: 'plain' }, user);
    expect([simple.type, simple.script, simple.plugin_functions, simple.content]).toEqual([
      'simple',
      null,
      [],
      'plain',
    ]);
  });
});
