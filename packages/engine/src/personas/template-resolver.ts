/**
 * @module Resolving a persona's template (seed 003): `${variable}` takes its value and `@module_name`
 * the text of the user's active module of that name, resolved in turn (an advanced module's script
 * runs first and its outputs fill `${name}` in its content). What a value or an output brings in is
 * never resolved again, so a variable cannot pull in a module. A chat turn resolves its persona's
 * template through the same function.
 */
import { HttpError } from '../errors.js';
import type { ScriptRun } from './module-script.js';
import type { StoredModule } from './repositories.js';

/** How deep modules may refer to modules. */
export const maxModuleDepth = 16;

/** The longest resolved text, in characters. */
export const maxResolvedChars = 1_000_000;

/** What resolving needs: where modules are found and how an advanced one's script runs. */
export interface TemplateSources {
  /** The active module of that name, or `undefined` (the reference is then left as written). */
  module(name: string): Promise<StoredModule | undefined>;
  /** Runs an advanced module's script with the template's variables. */
  run(module: StoredModule, variables: Record<string, unknown>): Promise<ScriptRun>;
}

/** The resolved text and the modules it used, in the order first met. */
export interface ResolvedTemplate {
  resolved: string;
  modules_used: string[];
}

const reference = /\$\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}|(?<![A-Za-z0-9_@.])@([A-Za-z_][A-Za-z0-9_]*)/g;

const own = (record: Record<string, unknown>, key: string) => Object.hasOwn(record, key);

/** A value as it reads in text: strings as they are, anything else as JSON. */
export const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : (JSON.stringify(value ?? null) ?? 'null');

/**
 * Resolves `${variable}` and `@module_name` in a template.
 *
 * @throws {HttpError} 422 when modules refer to each other in a cycle (naming it), nest deeper than
 * {@link maxModuleDepth}, or the text grows past {@link maxResolvedChars}.
 * @example
 * await resolveTemplate('You are @persona_core. Hello ${name}!', { name: 'Ada' }, sources);
 * // { resolved: 'You are a helpful guide. Hello Ada!', modules_used: ['persona_core'] }
 */
export const resolveTemplate = async (
  template: string,
  variables: Record<string, unknown>,
  sources: TemplateSources,
): Promise<ResolvedTemplate> => {
  const used: string[] = [];
  const done = new Map<string, string>();

  const expand = async (
    text: string,
    values: readonly Record<string, unknown>[],
    stack: readonly string[],
  ): Promise<string> => {
    let out = '';
    let last = 0;
    for (const match of text.matchAll(reference)) {
      out += text.slice(last, match.index);
      last = match.index + match[0].length;
      const [written, variable, moduleName] = match;
      if (variable !== undefined) {
        const source = values.find((record) => own(record, variable));
        out += source === undefined ? written : textOf(source[variable]);
      } else if (moduleName !== undefined) {
        out += (await moduleText(moduleName, stack)) ?? written;
      }
      if (out.length > maxResolvedChars) tooLong();
    }
    out += text.slice(last);
    if (out.length > maxResolvedChars) tooLong();
    return out;
  };

  const moduleText = async (name: string, stack: readonly string[]): Promise<string | undefined> => {
    if (stack.includes(name)) {
      const cycle = [...stack.slice(stack.indexOf(name)), name].map((step) => `@${step}`).join(' → ');
      throw new HttpError('VALIDATION_ERROR', `Modules refer to each other in a cycle: ${cycle}`, {
        details: { fields: [{ path: 'body.template', message: `Cycle: ${cycle}` }], cycle: [...stack, name] },
      });
    }
    const known = done.get(name);
    if (known !== undefined) return known;
    if (stack.length >= maxModuleDepth) {
      throw HttpError.validation(
        [{ path: 'body.template', message: `Modules nest deeper than ${maxModuleDepth}` }],
        `Modules nest deeper than ${maxModuleDepth}: ${[...stack, name].map((step) => `@${step}`).join(' → ')}`,
      );
    }
    const module = await sources.module(name);
    if (module === undefined) return undefined;
    if (!used.includes(name)) used.push(name);
    let outputs: Record<string, unknown> = {};
    if (module.type === 'advanced' && module.script !== null) {
      outputs = (await sources.run(module, variables)).outputs;
    }
    const text = await expand(module.content, [outputs, variables], [...stack, name]);
    done.set(name, text);
    return text;
  };

  const tooLong = (): never => {
    throw HttpError.validation(
      [{ path: 'body.template', message: `Longer than ${maxResolvedChars} characters once resolved` }],
      `The template is longer than ${maxResolvedChars} characters once resolved`,
    );
  };

  const resolved = await expand(template, [variables], []);
  return { resolved, modules_used: used };
};
