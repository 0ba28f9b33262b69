/**
 * Tables of the docs that are printed from the code, so they cannot drift from it. Each lives in a
 * Markdown file between `<!-- name:start -->` and `<!-- name:end -->`; `tables.test.ts` checks them
 * and `UPDATE_DOCS=1` rewrites them.
 */
import { type RouteDef, routes, scopes } from '@cartrita/contracts';
import { type MetricDefinition, metrics } from '@cartrita/engine';
import {
  configFileSetting,
  describeDefault,
  type Setting,
  settings,
} from '../../reference-server/src/config/settings.js';

/** A Markdown table from a header row and rows; a `|` in a cell is escaped. */
const markdownTable = (header: readonly string[], rows: readonly (readonly string[])[]): string =>
  [header, header.map(() => '---'), ...rows]
    .map((cells) => `| ${cells.map((cell) => cell.replaceAll('|', '\\|')).join(' | ')} |`)
    .join('\n');

const code = (text: string | undefined): string => (text === undefined ? '' : `\`${text}\``);

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

/** Every setting of the server: its names in each source, its default and what it does. */
export const settingsTable = (): string =>
  markdownTable(
    ['environment', 'YAML key', 'flag', 'default', 'meaning'],
    [
      ...Object.values(settings).map((entry: Setting<unknown>) => [
        code(entry.env),
        code(entry.file),
        code(entry.flag),
        describeDefault(entry),
        entry.description,
      ]),
      [code(configFileSetting.env), '', code(configFileSetting.flag), 'none', configFileSetting.description],
    ],
  );

/** Every metric the telemetry port defines: its name, kind, labels and help text. */
export const metricsTable = (): string =>
  markdownTable(
    ['metric', 'type', 'labels', 'meaning'],
    (Object.values(metrics) as MetricDefinition[]).map((definition) => [
      `\`${definition.name}\``,
      definition.type,
      definition.labels.map((label) => `\`${label}\``).join(', '),
      definition.help,
    ]),
  );

/** The generated tables, by marker name and file. */
export const generatedTables: readonly { file: string; name: string; render: () => string }[] = [
  { file: 'docs/server.md', name: 'settings', render: settingsTable },
  { file: 'docs/server.md', name: 'scopes', render: scopeTable },
  { file: 'docs/observability.md', name: 'metrics', render: metricsTable },
];
