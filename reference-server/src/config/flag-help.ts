/** @module The command line's list of options, printed from the settings that have a flag. */
import { configFileSetting, describeDefault, type Setting, settings } from './settings.js';

/** Markdown as a terminal shows it: code spans and links without their marks. */
const plain = (markdown: string): string =>
  markdown.replace(/\[([^\]]+)\]\([^)]+\)/g, '$1').replace(/`/g, '');

/** Wraps `text` to lines of at most `columns` characters, breaking between words. */
const wrap = (text: string, columns: number): string[] => {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > columns) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
};

/** One option: `--flag <value>` and its description, its environment variable and its default. */
const describeOption = (
  flag: string,
  env: string,
  description: string,
  fallback: string,
): [string, string] => {
  const about = plain(description);
  // A description that starts with a value (`postgres://...`, `trace`) keeps it as written.
  const sentence = /^[a-z]/.test(description) ? `${about.charAt(0).toUpperCase()}${about.slice(1)}` : about;
  const source = fallback === 'none' ? env : `${env}, default ${plain(fallback)}`;
  return [`${flag} <${flag.slice(2)}>`, `${sentence} (${source})`];
};

/**
 * The options of `cartrita-server`, one per setting that has a flag (and `--config`), each with the
 * description, environment variable and default the settings give it, then `extra` options; the
 * descriptions are wrapped to `columns`.
 *
 * @example
 * flagHelp([['-h, --help', 'Show this help']]);
 * // '  --host <host>  Address to listen on (API_HOST, default 127.0.0.1)\n...'
 */
export const flagHelp = (extra: readonly (readonly [string, string])[] = [], columns = 100): string => {
  const options: (readonly [string, string])[] = [
    ...Object.values(settings).flatMap((entry: Setting<unknown>) =>
      entry.flag === undefined
        ? []
        : [describeOption(entry.flag, entry.env, entry.description, describeDefault(entry))],
    ),
    describeOption(configFileSetting.flag, configFileSetting.env, configFileSetting.description, 'none'),
    ...extra,
  ];
  const width = Math.max(...options.map(([name]) => name.length)) + 2;
  return options
    .flatMap(([name, about]) =>
      wrap(about, columns - width - 2).map(
        (line, index) => `  ${(index === 0 ? name : '').padEnd(width)}${line}`,
      ),
    )
    .join('\n');
};
