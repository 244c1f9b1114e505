import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildZip, PLUGIN_SOURCE_DIR, pluginEntries, readZip } from './plugin-zip.ts';

describe('the plugin zip', () => {
  it('holds every plugin file under tidings-for-woocommerce/, byte for byte', () => {
    const entries = pluginEntries();
    const names = entries.map((e) => e.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'tidings-for-woocommerce/tidings-for-woocommerce.php',
        'tidings-for-woocommerce/readme.txt',
        'tidings-for-woocommerce/uninstall.php',
        'tidings-for-woocommerce/includes/class-tidings-delivery.php',
      ]),
    );
    const back = readZip(buildZip(entries));
    expect(back.map((e) => e.name)).toEqual(names);
    for (const entry of back) {
      const path = `${PLUGIN_SOURCE_DIR}${entry.name.slice('tidings-for-woocommerce/'.length)}`;
      expect(entry.data.equals(readFileSync(path))).toBe(true);
    }
  });

  it('is reproducible', () => {
    expect(buildZip(pluginEntries()).equals(buildZip(pluginEntries()))).toBe(true);
  });
});
