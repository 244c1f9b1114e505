/**
 * The set-up step of the README ("Create the signing secret", "Map your Order statuses") as the
 * hub's admin API calls it documents, on a real hub: the org becomes a tenant under its
 * 18-character id (operator key), its mappings and signing secret are stored with the tenant key
 * the hub returns, and the next request Salesforce signs with that secret is accepted.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toOrgId18 } from '../src/org-id.ts';
import { signBody } from '../src/request-signing.ts';
import {
  type RunningSalesforceHub,
  startSalesforceHub,
  statusMappings,
} from './salesforce-harness.ts';

const OPERATOR_KEY = 'tdo_test-operator-key-0123456789';
const ORG_15 = '00D5e000000Qx7P';
const ORG_18 = toOrgId18(ORG_15) ?? '';

let sf: RunningSalesforceHub;
beforeAll(async () => {
  sf = await startSalesforceHub();
});
afterAll(async () => {
  await sf.stop();
});

const call = async (method: string, path: string, key: string, body?: unknown) => {
  const res = await fetch(`${sf.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};

describe('setting up an org through the admin API', () => {
  it('stores the org, its mappings and its signing secret; the next signed request is accepted', async () => {
    expect(ORG_18).toHaveLength(18);
    const created = await call('POST', '/api/tenants', OPERATOR_KEY, {
      id: ORG_18,
      name: 'Globex (Salesforce)',
    });
    expect(created.status).toBe(201);
    const tenantKey = String(created.json.apiKey);

    const config = await call('PUT', `/api/tenants/${ORG_18}/config`, tenantKey, {
      tenantId: ORG_18,
      name: 'Globex (Salesforce)',
      statusMappings,
      compliance: { quietHours: { transactional: null, marketing: null } },
    });
    expect(config.status).toBe(200);

    const signingSecret = randomBytes(32).toString('hex');
    const stored = await call('PUT', `/api/tenants/${ORG_18}/credentials/salesforce`, tenantKey, {
      secret: { signingSecret },
    });
    expect(stored.status).toBe(200);
    // The answer names the credential, never its secret.
    expect(JSON.stringify(stored.json)).not.toContain(signingSecret);

    // Salesforce sends the 15-character id ($Organization.Id in Flow); both forms reach the tenant.
    const body = JSON.stringify({
      orgId: ORG_15,
      sentAt: new Date().toISOString(),
      events: [
        {
          orderId: '8015e000000Qx7PAAS',
          orderNumber: '00000777',
          status: 'Shipped',
          statusCode: 'Activated',
          lastModifiedDate: '2026-11-28T15:00:00.000Z',
          customer: { email: 'hank@example.com' },
        },
      ],
    });
    const res = await fetch(`${sf.url}/salesforce/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-tidings-signature': signBody(signingSecret, body),
      },
      body,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ results: [{ outcome: 'notified' }] });
    expect(await sf.store.listEvents(ORG_18, '8015e000000Qx7PAAS')).toHaveLength(1);
  });

  it('refuses the credential under the 15-character id (no such tenant) and a body that is not a secret', async () => {
    const tenantKey = String(
      (
        await call('POST', '/api/tenants', OPERATOR_KEY, {
          id: toOrgId18('00D5e000000Rr1A'),
          name: 'Initech',
        })
      ).json.apiKey,
    );
    const short = await call(
      'PUT',
      '/api/tenants/00D5e000000Rr1A/credentials/salesforce',
      tenantKey,
      {
        secret: { signingSecret: 'x'.repeat(64) },
      },
    );
    // The tenant key belongs to the 18-character tenant only.
    expect(short.status).toBe(401);
    const malformed = await call(
      'PUT',
      `/api/tenants/${toOrgId18('00D5e000000Rr1A')}/credentials/salesforce`,
      tenantKey,
      { signingSecret: 'not wrapped in "secret"' },
    );
    expect(malformed.status).toBe(422);
  });
});
