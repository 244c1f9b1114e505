/**
 * The app zip, built by zcli's own packaging function. `zcli apps:package` is `createAppPkg`
 * (offline: archiver, glob `**` with dotfiles, excluding `tmp/**` and `.zcliignore` lines) followed
 * by `validatePkg`, which uploads the zip to `/api/v2/apps/validate` on the logged-in account
 * (node_modules/@zendesk/zcli-apps/dist/lib/package.js, commands/apps/package.js). Only the first
 * half can run here, so the zip is built with it and checked against the layout and the validator rules.
 */
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateZafApp } from './zaf-validator.ts';

const require = createRequire(import.meta.url);
const { createAppPkg } =
  require('@zendesk/zcli-apps/dist/lib/package.js') as typeof import('@zendesk/zcli-apps/dist/lib/package.js');
interface ZipEntry {
  entryName: string;
  isDirectory: boolean;
  getData(): Buffer;
}
// adm-zip is what zcli-apps itself depends on for reading zips.
const AdmZip = require('adm-zip') as new (path: string) => { getEntries(): ZipEntry[] };

const ZAF = join(import.meta.dirname, '..', 'zaf');
/** What Zendesk receives: the manifest at the root, translations and assets, nothing else. */
const LAYOUT = [
  'assets/iframe.html',
  'assets/sidebar.css',
  'assets/sidebar.js',
  'manifest.json',
  'translations/de.json',
  'translations/en.json',
  'translations/es.json',
  'translations/fr.json',
];

const filesUnder = (dir: string): string[] =>
  (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .sort();

describe('the app zip (zcli apps:package layout)', () => {
  let work: string;
  let entries: ZipEntry[];
  let zipPath: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'tidings-zaf-pkg-'));
    const app = join(work, 'zaf');
    cpSync(ZAF, app, { recursive: true });
    // What a developer's app folder holds besides the app: an earlier package in tmp/ and the
    // settings file `zcli apps:server` reads (with the shared secret in it).
    mkdirSync(join(app, 'tmp'));
    writeFileSync(join(app, 'tmp', 'app-20250101000000000.zip'), 'an earlier package');
    writeFileSync(
      join(app, 'zcli.apps.config.json'),
      JSON.stringify({ parameters: { shared_secret: 'do-not-ship-0123456789' } }),
    );
    zipPath = await createAppPkg(app);
    entries = new AdmZip(zipPath).getEntries();
  });
  afterAll(() => {
    rmSync(work, { recursive: true, force: true });
  });

  it('is written where zcli writes it: <app>/tmp/app-<timestamp>.zip', () => {
    expect(relative(work, zipPath)).toMatch(/^zaf\/tmp\/app-\d{17,}\.zip$/);
  });

  it('holds exactly the app files, at paths relative to the app root', () => {
    const names = entries
      .filter((e) => !e.isDirectory)
      .map((e) => e.entryName)
      .sort();
    expect(names).toEqual(LAYOUT);
    // Every file of the source folder that is not excluded is in the zip, byte for byte.
    const shipped = filesUnder(ZAF).filter((f) => f !== '.zcliignore');
    expect(shipped).toEqual(LAYOUT);
    for (const entry of entries.filter((e) => !e.isDirectory)) {
      expect(
        entry.getData().equals(readFileSync(join(ZAF, entry.entryName))),
        entry.entryName,
      ).toBe(true);
    }
  });

  it('leaves out tmp/, the local settings with the shared secret, and .zcliignore itself', () => {
    const names = entries.map((e) => e.entryName);
    expect(names.some((n) => n.startsWith('tmp/'))).toBe(false);
    expect(names).not.toContain('zcli.apps.config.json');
    expect(names).not.toContain('.zcliignore');
    expect(entries.some((e) => e.getData().includes('do-not-ship'))).toBe(false);
  });

  it('passes the app validator rules once unpacked, as Zendesk unpacks it', () => {
    const unpacked = join(work, 'unpacked');
    for (const entry of entries.filter((e) => !e.isDirectory)) {
      const target = join(unpacked, entry.entryName);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, entry.getData());
    }
    expect(validateZafApp(unpacked)).toEqual([]);
  });
});
