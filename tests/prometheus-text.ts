/**
 * @module A strict reader of the Prometheus text exposition format (version 0.0.4), for tests: every
 * line must be a `# HELP`, a `# TYPE`, a comment or a sample of a declared family, or it throws
 * naming the line.
 */

/** One sample line. */
export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A metric family: its type, help and samples. */
export interface Family {
  type: 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';
  help: string;
  samples: Sample[];
}

const metricName = '[a-zA-Z_:][a-zA-Z0-9_:]*';
const labelPair = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\[\\\\"n])*"';
const sampleLine = new RegExp(
  `^(${metricName})(?:\\{((?:${labelPair})(?:,${labelPair})*,?)?\\})? (\\S+)(?: (-?\\d+))?$`,
);
const helpLine = new RegExp(`^# HELP (${metricName}) (.*)$`);
const typeLine = new RegExp(`^# TYPE (${metricName}) (counter|gauge|histogram|summary|untyped)$`);
const labelEntry = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;

const unescapeLabel = (value: string) =>
  value.replace(/\\([\\"n])/g, (_, char: string) => (char === 'n' ? '\n' : char));

const parseValue = (text: string, line: number): number => {
  if (text === '+Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    throw new Error(`line ${line}: "${text}" is not a sample value`);
  }
  return Number(text);
};

/** The family a sample belongs to: its own name, or the histogram's or summary's it is a part of. */
const familyOf = (name: string, families: Map<string, Family>): string | undefined => {
  if (families.has(name)) return name;
  const base = name.replace(/_(bucket|sum|count)$/, '');
  const family = families.get(base);
  return family && (family.type === 'histogram' || family.type === 'summary') ? base : undefined;
};

/**
 * Reads a whole exposition into its families, by name.
 *
 * @throws {Error} at the first line that is not valid, or a sample of a family without `# TYPE`.
 */
export const parsePrometheusText = (text: string): Map<string, Family> => {
  const families = new Map<string, Family>();
  if (!text.endsWith('\n')) throw new Error('the exposition does not end with a line feed');
  text
    .slice(0, -1)
    .split('\n')
    .forEach((raw, index) => {
      const line = index + 1;
      if (raw === '') return;
      const help = helpLine.exec(raw);
      if (help) {
        const [, name, doc] = help as unknown as [string, string, string];
        const family = families.get(name) ?? { type: 'untyped', help: '', samples: [] };
        family.help = doc;
        families.set(name, family);
        return;
      }
      const type = typeLine.exec(raw);
      if (type) {
        const [, name, kind] = type as unknown as [string, string, Family['type']];
        const family = families.get(name) ?? { type: kind, help: '', samples: [] };
        if (family.samples.length > 0) throw new Error(`line ${line}: # TYPE ${name} after its samples`);
        family.type = kind;
        families.set(name, family);
        return;
      }
      if (raw.startsWith('#')) return;
      const sample = sampleLine.exec(raw);
      if (!sample) throw new Error(`line ${line}: not a sample: ${raw}`);
      const [, name, labelText = '', valueText] = sample as unknown as [
        string,
        string,
        string | undefined,
        string,
      ];
      const family = familyOf(name, families);
      if (family === undefined) throw new Error(`line ${line}: ${name} has no # TYPE`);
      const labels: Record<string, string> = {};
      for (const [, key, value] of labelText.matchAll(labelEntry))
        labels[key as string] = unescapeLabel(value as string);
      families.get(family)?.samples.push({ name, labels, value: parseValue(valueText, line) });
    });
  return families;
};

/** The value of the one sample of `name` whose labels include `labels`, or `undefined`. */
export const sampleValue = (
  families: Map<string, Family>,
  name: string,
  labels: Record<string, string> = {},
): number | undefined => {
  const family = familyOf(name, families);
  const sample = (family === undefined ? [] : (families.get(family)?.samples ?? [])).find(
    (candidate) =>
      candidate.name === name &&
      Object.entries(labels).every(([key, value]) => candidate.labels[key] === value),
  );
  return sample?.value;
};
