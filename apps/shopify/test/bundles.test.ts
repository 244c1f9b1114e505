import { describe, expect, it } from 'vitest';
import { buildAdminBundle, buildServerBundle } from '../src/admin-bundle.ts';

describe('esbuild bundles', () => {
  it('builds the admin UI and the server bundle and prints their sizes', async () => {
    const ui = await buildAdminBundle();
    const server = await buildServerBundle();
    console.log(
      `shopify bundles: admin.js ${(ui.length / 1024).toFixed(1)} KiB, server.js ${(server.length / 1024).toFixed(1)} KiB`,
    );
    expect(ui).toContain('Save template');
    expect(server).toContain('createShopifyApp');
  });
});
