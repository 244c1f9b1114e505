/**
 * @module `npm run plugin:zip -w @tidings/woocommerce`: writes
 * `apps/woocommerce/dist/tidings-for-woocommerce-<version>.zip`, the file merchants upload.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { buildZip, PLUGIN_SLUG, PLUGIN_SOURCE_DIR, pluginEntries } from '../src/plugin-zip.ts';

const header = readFileSync(`${PLUGIN_SOURCE_DIR}${PLUGIN_SLUG}.php`, 'utf8');
const version = /^\s*\*\s*Version:\s*(\S+)/m.exec(header)?.[1] ?? '0.0.0';
const outDir = new URL('../dist/', import.meta.url).pathname;
mkdirSync(outDir, { recursive: true });
const entries = pluginEntries();
const path = `${outDir}${PLUGIN_SLUG}-${version}.zip`;
writeFileSync(path, buildZip(entries));
console.log(`Wrote ${path} (${entries.length} files).`);
