import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sessionToken } from './session-token.ts';
import {
  defaultShopify,
  postWebhook,
  type RunningShopifyHub,
  SHOP,
  startShopifyHub,
} from './shopify-harness.ts';

let h: RunningShopifyHub;

/** A new order as Shopify's orders/create would carry it (payment pending). */
const newOrder = (id: number, email = 'jon@example.com') =>
  JSON.stringify({
    id,
    name: `#${id}`,
    email,
    financial_status: 'pending',
    updated_at: new Date().toISOString(),
  });
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

    // A test send of the saved template goes through the engine to a test order.
    await page.getByLabel('Send a test to').fill('+14155550100');
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText(/^Test queued: 1 message/).waitFor();
    const audit = await h.store.listAudit(SHOP);
    expect(audit.some((a) => a.actor === 'shopify-user:42')).toBe(true);

    // Before the rule changes, a new order is told about by the customer-progress rule — unless
    // its customer unsubscribed from e-mail, and has no other channel.
    await h.store.transaction((tx) =>
      tx.putConsent({
        tenantId: SHOP,
        channel: 'email',
        contact: 'ann@example.com',
        state: 'opted_out',
        scope: 'all',
        at: new Date().toISOString(),
        source: 'unsubscribe',
      }),
    );
    expect(
      (await postWebhook(h.url, 'orders/create', newOrder(4240, 'ann@example.com'))).status,
    ).toBe(200);
    const before = await postWebhook(h.url, 'orders/create', newOrder(4241));
    expect(before.json.outcome).toBe('accepted');
    const planned = await h.store.listIntents(SHOP, '4241');
    expect(planned.length).toBeGreaterThan(0);
    expect(planned.map((i) => i.intent.ruleId)).toContain('customer-progress');

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

    // The tenant configuration is cached for up to 5 s; the next webhook after that obeys the rule:
    // the same kind of order now plans nothing, and the engine says no rule matched.
    await new Promise((r) => setTimeout(r, 5_100));
    const r = await postWebhook(h.url, 'orders/create', newOrder(4242));
    expect(r.json.outcome).toBe('accepted');
    expect(await h.store.listIntents(SHOP, '4242')).toEqual([]);
    const decided = (await h.store.listDecisions(SHOP, '4242')).map((d) => d.decision);
    expect(decided.map((d) => d.reason)).toContain('no_matching_rule');

    // The activity feed: the sent and the suppressed message, each with core's reason.
    await page.getByRole('tab', { name: 'Activity' }).click();
    const row = (order: string, text: string) =>
      page.getByRole('row').filter({ hasText: order }).filter({ hasText: text });
    const sent = row('#4241', 'hears "created" by email now');
    await sent.waitFor();
    expect(await sent.textContent()).toMatch(/Sent.*ready/);
    const suppressed = row('#4240', 'not by email');
    await suppressed.waitFor();
    expect(await suppressed.textContent()).toMatch(/Suppressed.*consent_opted_out/);
    // The order the disabled rule no longer covers says so too.
    const uncovered = row('#4242', 'No enabled rule covers "created"');
    await uncovered.waitFor();
    expect(await uncovered.textContent()).toMatch(/Suppressed.*no_matching_rule/);
    expect(await page.getByRole('table').first().textContent()).not.toContain('@example.com');

    // An order in the feed opens its timeline.
    await sent.getByRole('button', { name: '#4241' }).click();
    await page.getByText(/intent created for customer by email: pending/).waitFor();
    expect(await page.getByLabel('Order id').inputValue()).toBe('4241');

    await page.getByLabel('Order id').fill('4242');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByText(/shopify reported "pending"/).waitFor();
    // Left open: @sparticuz/chromium runs single-process, and closing its last page ends the browser.
  });

  it('sets up a channel with a live credential check and saves compliance settings', async () => {
    h.setShopify((call) =>
      call.url.startsWith('https://api.twilio.com/2010-04-01/Accounts/')
        ? { body: { status: 'active' } }
        : defaultShopify(call),
    );
    const page = await browser.newPage();
    await page.route('https://cdn.shopify.com/**', (route) => route.abort());
    const token = sessionToken({ exp: Math.floor(Date.now() / 1000) + 600 });
    await page.goto(`${h.url}/shopify/app?shop=${SHOP}&host=YWRtaW4&id_token=${token}`);
    await page.getByText(`Order-status notifications for ${SHOP}`).waitFor();

    await page.getByRole('tab', { name: 'Channels' }).click();
    await page.getByLabel('Twilio SMS: Account SID').fill('not-a-sid');
    await page.getByLabel('Twilio SMS: Auth token').fill('f'.repeat(32));
    await page.getByLabel(/^Twilio SMS: Sender/).fill('+14155550100');
    const twilioSave = page.getByRole('button', { name: 'Save and check' }).first();
    await twilioSave.click();
    await page
      .getByText(/must look like AC followed by 32 hex digits/)
      .first()
      .waitFor();
    await page.getByLabel('Twilio SMS: Account SID').fill(`AC${'a1'.repeat(16)}`);
    await twilioSave.click();
    await page.getByText('Twilio SMS accepted the credentials.').waitFor();
    const stored = await h.store.getCredential(SHOP, 'twilio');
    expect(stored.ok && stored.value).toMatchObject({ accountSid: `AC${'a1'.repeat(16)}` });
    expect(h.calls.some((c) => c.url.includes(`/Accounts/AC${'a1'.repeat(16)}.json`))).toBe(true);

    await page.getByRole('tab', { name: 'Compliance' }).click();
    await page.getByText('US-FL').waitFor();
    await page.getByLabel('Restricted product category').fill('knives');
    await page.getByRole('button', { name: 'Add category' }).click();
    await page.getByLabel('transactional quiet hours start').fill('22:30');
    await page.getByRole('button', { name: 'Save compliance settings' }).click();
    await page.getByText('Compliance settings saved.').waitFor();
    const config = (await h.store.getTenant(SHOP))?.config as {
      compliance: { restrictedCategories: string[]; quietHours: { transactional: unknown } };
    };
    expect(config.compliance.restrictedCategories).toEqual(['knives']);
    expect(config.compliance.quietHours.transactional).toEqual({ start: '22:30', end: '08:00' });
  });
});
