import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { generatedTables } from './tables.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The text between a table's markers, and a function that puts new text there. */
const section = (text: string, name: string) => {
  const start = `<!-- ${name}:start -->\n`;
  const end = `\n<!-- ${name}:end -->`;
  const from = text.indexOf(start);
  const to = text.indexOf(end, from);
  if (from === -1 || to === -1) throw new Error(`The markers of the ${name} table are missing`);
  return {
    current: text.slice(from + start.length, to),
    replace: (table: string) => `${text.slice(0, from + start.length)}${table}${text.slice(to)}`,
  };
};

it.each(generatedTables.map((table) => [table.name, table] as const))(
  'keeps the %s table of the docs as the code prints it (UPDATE_DOCS=1 rewrites it)',
  async (_name, table) => {
    const path = `${root}${table.file}`;
    const text = await readFile(path, 'utf8');
    const { current, replace } = section(text, table.name);
    const printed = table.render();
    if (process.env.UPDATE_DOCS === '1' && current !== printed) await writeFile(path, replace(printed));
    else expect(current).toBe(printed);
  },
);
