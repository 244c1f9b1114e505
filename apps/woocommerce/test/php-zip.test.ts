import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { buildZip, PLUGIN_SLUG, PLUGIN_SOURCE_DIR, pluginEntries } from '../src/plugin-zip.ts';
import { exitPhpRuntimes, PHP_VERSIONS, runPhpScript } from './php-runtime.ts';

afterAll(exitPhpRuntimes);

// Our zip writer is checked against our own reader in src/plugin-zip.test.ts; here PHP's
// ZipArchive, the reader WordPress's upload uses, must agree.
describe.each(PHP_VERSIONS)('the plugin zip in PHP %s’s ZipArchive', (version) => {
  it('opens, passes the consistency check and extracts every file byte for byte', async () => {
    const entries = pluginEntries();
    const zip = buildZip(entries).toString('base64');
    const extracted = JSON.parse(
      await runPhpScript(version, 'unzip-plugin.php', { zip }),
    ) as Record<string, string>;
    const expected = Object.fromEntries(
      entries.map((e) => [
        e.name,
        createHash('sha1')
          .update(readFileSync(`${PLUGIN_SOURCE_DIR}${e.name.slice(PLUGIN_SLUG.length + 1)}`))
          .digest('hex'),
      ]),
    );
    expect(extracted).toEqual(expected);
  });
});
