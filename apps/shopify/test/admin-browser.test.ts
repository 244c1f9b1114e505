import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionToken } from './session-token.ts';
import { postWebhook, type RunningShopifyHub, SHOP, startShopifyHub } from './shopify-harness.ts';

let h: RunningShopifyHub;
let browser: Browser;

beforeAll(async () => {
  h = await startShopifyHub();
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    // Root in a container has no user namespaces for Chromium's sandbox.
    args: [...chromium.args, '--no-sandbox'],
    headless: true,
  });
});
afterAll(async () => {
  await browser?.close();
  await h?.stop();
});

describe('the embedded admin in Chromium', () => {
  it('installs on a signed session token, previews a template with its SMS segments, and saves a rule the next webhook obeys', async () => {
    const page = await browser.newPage();
    // Offline: App Bridge's CDN script cannot load, so the page uses the id_token Shopify adds to the URL.
    await page.route('https://cdn.shopify.com/**', (route) => route.abort());
    const token = sessionToken({ exp: Math.floor(Date.now() / 1000) + 600 });
    await page.goto(`${h.url}/shopify/app?shop=${SHOP}&host=YWRtaW4&id_token=${token}`);
    await page.getByText(`Order-status notifications for ${SHOP}`).waitFor();

    const preview = page.getByTestId('preview-text');
    await expect.poll(async () => preview.textContent()).toContain('#1001');

    const editor = page.getByLabel('Template: text');
    await editor.fill('Hi {{ customer.first_name }}, order {{ order.number }} left us today.');
    await expect.poll(async () => preview.textContent()).toContain('left us today');
    await expect.poll(async () => page.getByTestId('segments').textContent()).toBe('1 segment(s)');

    await editor.fill(
      `Order {{ order.number }} is on its way 🚚 ${'and it is a long story '.repeat(3)}`,
    );
    await expect.poll(async () => page.getByTestId('segments').textContent()).toBe('2 segment(s)');
    await expect.poll(async () => page.locator('body').textContent()).toContain('UCS-2');
    await page.getByRole('button', { name: 'Save template' }).click();
    await page.getByText('Saved', { exact: true }).waitFor();

    await page.getByRole('tab', { name: 'Rules' }).click();
    const progress = page.getByLabel(/^customer-progress:/);
    await progress.waitFor();
    await progress.uncheck({ force: true });
    await page.getByRole('button', { name: 'Save rules' }).click();
    await page.getByText('Rules saved.').waitFor();

    const tenant = await h.store.getTenant(SHOP);
    const rules =
      (tenant?.config as { rules?: { id: string; enabled?: boolean }[] } | undefined)?.rules ?? [];
    expect(rules.find((r) => r.id === 'customer-progress')?.enabled).toBe(false);
    const templates =
      (tenant?.config as { templates?: Record<string, unknown> } | undefined)?.templates ?? {};
    expect(JSON.stringify(templates)).toContain('on its way');

    const order = JSON.stringify({
      id: 4242,
      name: '#4242',
      email: 'jon@example.com',
      financial_status: 'pending',
      updated_at: new Date().toISOString(),
    });
    // The tenant configuration is cached for up to 5 s; the next webhook after that obeys the rule.
    await new Promise((r) => setTimeout(r, 5_100));
    const r = await postWebhook(h.url, 'orders/create', order);
    expect(r.json.outcome).toBe('accepted');
    expect(await h.store.listIntents(SHOP, '4242')).toEqual([]);

    await page.getByRole('tab', { name: 'Activity' }).click();
    await page.getByLabel('Order id').fill('4242');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText(/shopify reported "pending"/).waitFor();
    await page.close();
  });
});
