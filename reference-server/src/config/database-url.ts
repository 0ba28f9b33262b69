/** @module Database URLs: which engine, which SQLite file, and a form safe to show. */
import { resolve } from 'node:path';

/** What a database URL points at. */
export interface DatabaseTarget {
  engine: 'sqlite' | 'postgres';
  /** For SQLite: the file's absolute path, or `:memory:`. */
  sqlitePath?: string;
}

/**
 * Reads a database URL's engine and, for SQLite, its file. SQLite URLs follow SQLAlchemy (seed 001):
 * `sqlite:///relative.db`, `sqlite:////absolute.db`, `sqlite:///:memory:`.
 */
export const describeDatabase = (url: string, cwd: string): DatabaseTarget => {
  if (!/^sqlite:/i.test(url)) return { engine: 'postgres' };
  let rest = url.slice('sqlite:'.length).replace(/\?.*$/, '');
  // After the empty authority `//`, SQLAlchemy drops one more slash: `///x` is relative, `////x` absolute.
  if (rest.startsWith('//')) rest = rest.slice(3);
  if (rest === '' || rest === ':memory:') return { engine: 'sqlite', sqlitePath: ':memory:' };
  return { engine: 'sqlite', sqlitePath: resolve(cwd, decodeURIComponent(rest)) };
};

/** The URL (a database's, or any other such as Redis's) with its password replaced by `REDACTED`. */
export const redactDatabaseUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return url;
    parsed.password = 'REDACTED';
    return parsed.toString();
  } catch {
    return url;
  }
};
