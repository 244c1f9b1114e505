import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAdminBundle, buildServerBundle, loadAdminBundle } from '../src/admin-bundle.ts';

describe('esbuild bundles', () => {
  it('builds the admin UI and the server bundle and prints their sizes', async () => {
    const ui = await buildAdminBundle();
    const server = await buildServerBundle();
    console.log(
      `shopify bundles: admin.js ${(ui.length / 1024).toFixed(1)} KiB, server.js ${(server.length / 1024).toFixed(1)} KiB`,
    );
    expect(ui).toContain('Save template');
    expect(ui).toContain('Save and check');
    expect(server).toContain('createShopifyApp');
  });

  it('serves dist/admin.js only while no UI source is newer', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tidings-bundle-'));
    try {
      const dist = `${join(root, 'dist')}/`;
      const sources = `${join(root, 'admin-ui')}/`;
      mkdirSync(dist);
      mkdirSync(sources);
      writeFileSync(`${sources}admin-app.tsx`, '// source');
      writeFileSync(`${dist}admin.js`, 'built');
      const fresh = async () => 'bundled now';
      const past = new Date(Date.now() - 60_000);
      utimesSync(`${sources}admin-app.tsx`, past, past);
      expect(await loadAdminBundle({ dist, sources }, fresh)).toBe('built');
      const later = new Date(Date.now() + 60_000);
      utimesSync(`${sources}admin-app.tsx`, later, later);
      expect(await loadAdminBundle({ dist, sources }, fresh)).toBe('bundled now');
      rmSync(`${dist}admin.js`);
      expect(await loadAdminBundle({ dist, sources }, fresh)).toBe('bundled now');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
