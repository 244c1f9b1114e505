/** @module Which backend a database URL names, and a form of it that is safe to print. */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { StoreError } from './store-error.ts';

export type StoreTarget =
  | { dialect: 'sqlite'; path: string }
  | { dialect: 'postgres'; url: string };

/**
 * Reads `postgres://…` / `postgresql://…` as PostgreSQL, and `sqlite:<path>`, `sqlite::memory:`,
 * `file:` URLs, `:memory:` and plain file paths as SQLite. Throws `StoreError` `invalid_url`.
 */
export const parseStoreUrl = (url: string, cwd: string = process.cwd()): StoreTarget => {
  const value = url.trim();
  if (value === '') throw new StoreError('invalid_url', 'the database URL is empty');
  if (/^postgres(ql)?:\/\//i.test(value)) return { dialect: 'postgres', url: value };
  if (value === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
  if (/^file:/i.test(value)) {
    try {
      return { dialect: 'sqlite', path: fileURLToPath(value) };
    } catch (error) {
      throw new StoreError('invalid_url', 'not a usable file: URL', { cause: error });
    }
  }
  if (/^sqlite:/i.test(value)) {
    // `sqlite:///abs/path`, `sqlite:/abs/path`, `sqlite:relative/path`, `sqlite::memory:`.
    const rest = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (rest === ':memory:') return { dialect: 'sqlite', path: ':memory:' };
    if (rest === '') throw new StoreError('invalid_url', 'sqlite: URL without a path');
    return { dialect: 'sqlite', path: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new StoreError(
      'invalid_url',
      `unsupported database URL scheme "${value.slice(0, value.indexOf(':'))}" (use postgres:// or a SQLite path)`,
    );
  }
  return { dialect: 'sqlite', path: isAbsolute(value) ? value : resolve(cwd, value) };
};

/** The URL without its password, for messages and logs. */
export const redactUrl = (url: string): string => {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
};
