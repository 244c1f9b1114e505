import { describe, expect, it } from 'vitest';
import { isStoreError } from './store-error.ts';
import { parseStoreUrl, redactUrl } from './store-url.ts';

describe('parseStoreUrl', () => {
  it.each([
    [
      'postgres://u:p@db:5432/tidings',
      { dialect: 'postgres', url: 'postgres://u:p@db:5432/tidings' },
    ],
    ['postgresql://db/tidings', { dialect: 'postgres', url: 'postgresql://db/tidings' }],
    [':memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['sqlite::memory:', { dialect: 'sqlite', path: ':memory:' }],
    ['sqlite:///var/lib/tidings.db', { dialect: 'sqlite', path: '/var/lib/tidings.db' }],
    ['sqlite:/var/lib/tidings.db', { dialect: 'sqlite', path: '/var/lib/tidings.db' }],
    ['sqlite:data/tidings.db', { dialect: 'sqlite', path: '/srv/app/data/tidings.db' }],
    ['data/tidings.db', { dialect: 'sqlite', path: '/srv/app/data/tidings.db' }],
    ['/var/lib/tidings.db', { dialect: 'sqlite', path: '/var/lib/tidings.db' }],
    ['file:///var/lib/tidings.db', { dialect: 'sqlite', path: '/var/lib/tidings.db' }],
  ])('reads %s', (url, target) => {
    expect(parseStoreUrl(url, '/srv/app')).toEqual(target);
  });

  it.each(['', 'mysql://db/x', 'sqlite:'])('refuses %j with invalid_url', (url) => {
    let thrown: unknown;
    try {
      parseStoreUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(isStoreError(thrown, 'invalid_url')).toBe(true);
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://tidings:hunter2@db:5432/x')).toBe(
      'postgres://tidings:***@db:5432/x',
    );
    expect(redactUrl('postgres://db/x')).toBe('postgres://db/x');
  });
});
