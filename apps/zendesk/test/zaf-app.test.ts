import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { duplicateKeys, validateZafApp } from './zaf-validator.ts';

const ZAF = join(import.meta.dirname, '..', 'zaf');
const manifest = JSON.parse(readFileSync(join(ZAF, 'manifest.json'), 'utf8')) as Record<
  string,
  unknown
>;
const withManifest = (change: (m: Record<string, unknown>) => void): string[] => {
  const copy = structuredClone(manifest);
  change(copy);
  return validateZafApp(ZAF, JSON.stringify(copy));
};

describe('the sidebar app package', () => {
  it('passes the rules of Zendesk’s app validator', () => {
    expect(validateZafApp(ZAF)).toEqual([]);
  });

  it('is a framework 2.0 ticket sidebar whose shared secret is a secure JWT key', () => {
    expect(manifest).toMatchObject({
      frameworkVersion: '2.0',
      location: { support: { ticket_sidebar: { url: 'assets/iframe.html' } } },
    });
    expect(manifest.parameters).toContainEqual(
      expect.objectContaining({ name: 'shared_secret', secure: true, scopes: ['jwt_secret_key'] }),
    );
  });

  it('has every translation (en, es, fr, de) with the same keys and a label per setting', () => {
    const keys = (v: unknown, prefix = ''): string[] =>
      v !== null && typeof v === 'object'
        ? Object.entries(v).flatMap(([k, x]) => keys(x, `${prefix}${k}.`))
        : [prefix];
    const en = JSON.parse(readFileSync(join(ZAF, 'translations', 'en.json'), 'utf8')) as unknown;
    for (const locale of ['es', 'fr', 'de']) {
      const other = JSON.parse(
        readFileSync(join(ZAF, 'translations', `${locale}.json`), 'utf8'),
      ) as unknown;
      expect(keys(other).sort(), locale).toEqual(keys(en).sort());
    }
  });

  it('loads the ZAF SDK 2.0 and the sidebar script from its assets', () => {
    const html = readFileSync(join(ZAF, 'assets', 'iframe.html'), 'utf8');
    expect(html).toContain(
      'https://static.zdassets.com/zendesk_app_framework_sdk/2.0/zaf_sdk.min.js',
    );
    expect(html).toContain('src="sidebar.js"');
    const js = readFileSync(join(ZAF, 'assets', 'sidebar.js'), 'utf8');
    expect(js).toContain("secret_key: '{{setting.shared_secret}}'");
    expect(js).toContain("Authorization: 'Bearer {{jwt.token}}'");
    expect(js).toContain('/zendesk/app/timeline');
    expect(js).toContain('/zendesk/app/override');
  });

  it.each<[string, (m: Record<string, unknown>) => void, RegExp]>([
    ['a missing author', (m) => delete m.author, /author is required/],
    ['an empty author.url', (m) => ((m.author as Record<string, unknown>).url = ''), /author\.url/],
    ['frameworkVersion 1.0', (m) => (m.frameworkVersion = '1.0'), /frameworkVersion must be "2.0"/],
    [
      'an unknown location',
      (m) => (m.location = { support: { ticket_footer: 'assets/iframe.html' } }),
      /unknown location/,
    ],
    [
      'an asset not in the package',
      (m) => (m.location = { support: { ticket_sidebar: 'assets/nope.html' } }),
      /not in the package/,
    ],
    [
      'an http location',
      (m) => (m.location = { support: { ticket_sidebar: 'http://example.com/app' } }),
      /https/,
    ],
    ['a locale without translations', (m) => (m.defaultLocale = 'pt'), /missing_translation_file/],
    [
      'scopes on a non-secure parameter',
      (m) => (m.parameters = [{ name: 'k', type: 'text', scopes: ['header'] }]),
      /secure: true/,
    ],
    [
      'an unknown scope',
      (m) => (m.parameters = [{ name: 'k', secure: true, scopes: ['cookie'] }]),
      /scopes must be among/,
    ],
    [
      'a required hidden parameter',
      (m) => (m.parameters = [{ name: 'h', type: 'hidden', required: true }]),
      /hidden/,
    ],
    [
      'a parameter called name',
      (m) => (m.parameters = [{ name: 'name', type: 'text' }]),
      /"name" cannot/,
    ],
    ['private as a string', (m) => (m.private = 'yes'), /private must be a boolean/],
    ['an unknown key', (m) => (m.sidebar = true), /unknown manifest key/],
  ])('rejects %s', (_what, change, expected) => {
    expect(withManifest(change).join('\n')).toMatch(expected);
  });

  it('finds duplicate keys JSON.parse would hide', () => {
    expect(duplicateKeys('{"a": 1, "b": {"a": 2}, "a": 3}')).toEqual(['a']);
    expect(duplicateKeys(readFileSync(join(ZAF, 'manifest.json'), 'utf8'))).toEqual([]);
  });
});
