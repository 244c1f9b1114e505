/**
 * The dev inbox in a real browser: Chromium from the `@sparticuz/chromium` npm package (no
 * download, no system package), driven by playwright-core, after `simulate`.
 */
import chromium from '@sparticuz/chromium';
import { type Browser, chromium as playwright } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { simulate } from '../src/simulate.ts';
import { type RunningHub, startHub } from './hub-harness.ts';

let running: RunningHub;
let browser: Browser;
beforeAll(async () => {
  running = await startHub();
  browser = await playwright.launch({
    executablePath: await chromium.executablePath(),
    args: chromium.args,
    headless: true,
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await running?.stop();
});

it('shows the simulated journey in the dev inbox, each message with why it was sent', async () => {
  const result = await simulate({
    baseUrl: running.url,
    tenantId: running.tenantId,
    apiKey: running.apiKey,
    waitMs: 20_000,
  });
  const page = await browser.newPage();
  await page.goto(`${running.url}/dev/inbox`);
  await expect(page.title()).resolves.toBe('Tidings dev inbox');
  const section = page.locator('section', { hasText: result.orderRef });
  await expect(section.locator('article.message').count()).resolves.toBe(result.intents);
  const first = section.locator('article.message').last();
  await expect(first.locator('.status').textContent()).resolves.toBe('created');
  await expect(first.locator('details li').first().textContent()).resolves.toContain(
    'consent_implied_by_order',
  );
  await page.close();
});
