// biome-ignore-all lint/suspicious/noTemplateCurlyInString: templates write `${variable}` placeholders
import { describe, expect, it } from 'vitest';
import { isHttpError } from '../errors.js';
import { personaTestEngine } from './test-engine.js';

const user = 'usr_templates';

const simple = (name: string, content: string, is_active = true) =>
  ({ name, type: 'simple', content, is_active }) as const;

describe('template resolution', () => {
  it('fills variables, leaving unknown ones and unknown modules as written', async () => {
    const { engine } = personaTestEngine();
    const result = await engine.modules.resolve(
      'Hello ${name}, you are ${ age } (${unknown}); mail me@example.com, ask @nobody. ${list}',
      { name: 'Ada', age: 36, list: [1, 'a'] },
      user,
    );
    expect(result).toEqual({
      resolved: 'Hello Ada, you are 36 (${unknown}); mail me@example.com, ask @nobody. [1,"a"]',
      modules_used: [],
    });
  });

  it('resolves nested modules with variables, each module once, in the order met', async () => {
    const { engine } = personaTestEngine();
    await engine.modules.create(simple('core', 'I am @tone and @rules.'), user);
    await engine.modules.create(simple('tone', 'calm with ${name}'), user);
    await engine.modules.create(simple('rules', 'brief; @tone'), user);
    const result = await engine.modules.resolve('System: @core', { name: 'Ada' }, user);
    expect(result).toEqual({
      resolved: 'System: I am calm with Ada and brief; calm with Ada.',
      modules_used: ['core', 'tone', 'rules'],
    });
  });

  it('never resolves what a variable brings in', async () => {
    const { engine } = personaTestEngine();
    await engine.modules.create(simple('secret', 'hidden'), user);
    const result = await engine.modules.resolve('${text}', { text: '@secret ${text}' }, user);
    expect(result).toEqual({ resolved: '@secret ${text}', modules_used: [] });
  });

  it('runs an advanced module and fills its content with the outputs, then the variables', async () => {
    const { engine } = personaTestEngine();
    await engine.modules.create(
      {
        name: 'greeter',
        type: 'advanced',
        content: '${greeting}, ${name}! (@tone)',
        script: 'ctx.set_output("greeting", ctx.get_variable("lang") === "fr" ? "Bonjour" : "Hello")',
        is_active: true,
      },
      user,
    );
    await engine.modules.create(simple('tone', 'warm'), user);
    const result = await engine.modules.resolve('@greeter', { lang: 'fr', name: 'Ada' }, user);
    expect(result).toEqual({ resolved: 'Bonjour, Ada! (warm)', modules_used: ['greeter', 'tone'] });
  });

  it('leaves the outputs of a script that fails unset, so variables or the placeholder show', async () => {
    const { engine } = personaTestEngine(300);
    await engine.modules.create(
      {
        name: 'broken',
        type: 'advanced',
        content: '[${greeting}] [${name}]',
        script: 'ctx.set_output("greeting", "never"); throw new Error("no")',
        is_active: true,
      },
      user,
    );
    expect(await engine.modules.resolve('@broken', { name: 'Ada' }, user)).toEqual({
      resolved: '[${greeting}] [Ada]',
      modules_used: ['broken'],
    });
  });

  it('leaves inactive modules and other users’ modules as written', async () => {
    const { engine } = personaTestEngine();
    await engine.modules.create(simple('off', 'never', false), user);
    await engine.modules.create(simple('theirs', 'not yours'), 'usr_other');
    expect(await engine.modules.resolve('@off @theirs', {}, user)).toEqual({
      resolved: '@off @theirs',
      modules_used: [],
    });
  });

  it('refuses a cycle with a 422 naming it', async () => {
    const { engine } = personaTestEngine();
    await engine.modules.create(simple('a', 'A then @b'), user);
    await engine.modules.create(simple('b', 'B then @c'), user);
    await engine.modules.create(simple('c', 'C then @a'), user);
    await engine.modules.create(simple('self', 'me: @self'), user);
    for (const [template, cycle] of [
      ['start @a', '@a → @b → @c → @a'],
      ['@self', '@self → @self'],
    ] as const) {
      const error = await engine.modules.resolve(template, {}, user).then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(isHttpError(error) && [error.status, error.message]).toEqual([
        422,
        `Modules refer to each other in a cycle: ${cycle}`,
      ]);
    }
  });
});
