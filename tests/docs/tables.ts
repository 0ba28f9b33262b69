/**
 * Tables of the docs that are printed from the code, so they cannot drift from it. Each lives in a
 * Markdown file between `<!-- name:start -->` and `<!-- name:end -->`; `tables.test.ts` checks them
 * and `UPDATE_DOCS=1` rewrites them.
 */
import { type RouteDef, routes, scopes } from '@cartrita/contracts';

/** A Markdown table from a header row and rows. */
const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');

/** Every scope, what it opens, and the routes that need it. */
export const scopeTable = (): string => {
  const table = routes as readonly RouteDef[];
  const routesOf = (scope: string) =>
    table
      .filter((route) => route.auth !== 'none' && route.auth.scope === scope)
      .map((route) => `\`${route.method} ${route.path}\``)
      .join(', ');
  const open = table
    .filter((route) => route.auth === 'none')
    .map((route) => `\`${route.method} ${route.path}\``)
    .join(', ');
  return markdownTable(
    ['scope', 'what it allows', 'routes that need it'],
    [
      ...Object.entries(scopes).map(([name, description]) => [
        `\`${name}\``,
        description,
        name === 'admin'
          ? 'every route'
          : name === 'act_as_user'
            ? 'any route, with `X-Cartrita-User`; `POST /api/chatkit/session` with `user`'
            : routesOf(name) || 'none yet',
      ]),
      [
        '(none)',
        'Open to anyone; credentials are ignored.',
        `${open}, the demo page, \`/docs\`, \`/openapi.json\` and the widget files`,
      ],
    ],
  );
};

/** The generated tables, by marker name and file. */
export const generatedTables: readonly { file: string; name: string; render: () => string }[] = [
  { file: 'docs/server.md', name: 'scopes', render: scopeTable },
];
