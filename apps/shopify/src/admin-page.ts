/**
 * @module `GET /shopify/app`: the embedded admin's HTML (App Bridge from Shopify's CDN, the
 * app's API key in a meta tag, framing allowed only for the shop's admin) and its assets.
 */
import type { FastifyInstance } from 'fastify';
import { loadAdminBundle, readPolarisCss } from './admin-bundle.ts';
import { shopDomain } from './shop-tenants.ts';
import type { ShopifyConfig } from './shopify-config.ts';

export interface AdminPageDeps {
  config: ShopifyConfig;
}

const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The page shell; everything else is rendered by React in the browser. */
export const adminHtml = (apiKey: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="shopify-api-key" content="${escapeHtml(apiKey)}">
<title>Tidings</title>
<script src="https://cdn.shopify.com/shopifycloud/app-bridge.js"></script>
<link rel="stylesheet" href="/shopify/app/assets/polaris.css">
</head>
<body>
<div id="root"></div>
<script type="module" src="/shopify/app/assets/admin.js"></script>
</body>
</html>`;

/** Registers the page and its two assets. */
export const registerAdminPage = (server: FastifyInstance, deps: AdminPageDeps): void => {
  let bundle: Promise<string> | undefined;
  let css: Promise<string> | undefined;
  const html = adminHtml(deps.config.apiKey);

  server.get('/shopify/app', async (req, reply) => {
    const shop = shopDomain((req.query as { shop?: unknown }).shop);
    // Embedded apps may be framed only by the shop's own admin (Shopify's clickjacking rule).
    const ancestors = shop
      ? `https://${shop} https://admin.shopify.com`
      : 'https://admin.shopify.com';
    return reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', `frame-ancestors ${ancestors};`)
      .send(html);
  });
  server.get('/shopify/app/assets/admin.js', async (_req, reply) => {
    bundle ??= loadAdminBundle();
    return reply.header('content-type', 'text/javascript; charset=utf-8').send(await bundle);
  });
  server.get('/shopify/app/assets/polaris.css', async (_req, reply) => {
    css ??= readPolarisCss();
    return reply.header('content-type', 'text/css; charset=utf-8').send(await css);
  });
};
