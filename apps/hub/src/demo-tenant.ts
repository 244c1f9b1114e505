/**
 * @module The embedded default's keys and demo tenant: generated once into the data directory,
 * so `npm start` needs no accounts and `tidings simulate` finds what it needs.
 */
import { join } from 'node:path';
import type { Store } from '@tidings/store';
import { API_KEY_CREDENTIAL, hashKey } from './admin-auth.ts';
import type { HubConfig } from './hub-config.ts';
import { localKey, newApiKey, newSecretKey } from './local-keys.ts';

export const DEMO_TENANT = 'demo-shop';
export const DEMO_KEY_FILE = 'demo-api.key';

/** The secret and operator keys: from the environment, or generated into the data directory. */
export const resolveKeys = (config: HubConfig) => {
  const secret = config.secretKey ?? localKey(config.dataDir, 'secret.key', newSecretKey).value;
  const admin =
    config.adminKey ?? localKey(config.dataDir, 'admin.key', () => newApiKey('tdo')).value;
  return {
    secretKey: secret,
    adminKey: admin,
    adminKeySource: config.adminKey ? 'TIDINGS_ADMIN_KEY' : join(config.dataDir, 'admin.key'),
  };
};

/** Creates (or keeps) the demo tenant with the dev sink on every channel and quiet hours off. */
export const ensureDemoTenant = async (store: Store, config: HubConfig) => {
  const key = localKey(config.dataDir, DEMO_KEY_FILE, () => newApiKey('tdk'));
  const at = new Date().toISOString();
  if (!(await store.getTenant(DEMO_TENANT))) {
    await store.putTenant(
      {
        id: DEMO_TENANT,
        name: 'Demo Shop',
        active: true,
        config: {
          tenantId: DEMO_TENANT,
          name: 'Demo Shop',
          defaultTimeZone: 'America/Toronto',
          channelPreferences: { customer: ['email', 'sms'], internal: ['slack'] },
          // The demo shows messages at any hour; real tenants keep the overnight window.
          compliance: { quietHours: { transactional: null, marketing: null } },
        },
      },
      at,
    );
  }
  const stored = await store.putCredential(
    DEMO_TENANT,
    API_KEY_CREDENTIAL,
    { sha256: hashKey(key.value) },
    at,
  );
  if (!stored.ok) throw new Error(`Cannot store the demo API key: ${stored.error.message}`);
  return { tenantId: DEMO_TENANT, apiKey: key.value, keyFile: join(config.dataDir, DEMO_KEY_FILE) };
};
