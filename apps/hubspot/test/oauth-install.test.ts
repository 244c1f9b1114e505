import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUBSPOT_CREDENTIAL, type PortalCredential } from '../src/portal-tokens.ts';
import { PUBLIC_URL, type RunningHubspotHub, startHubspotHub } from './hubspot-harness.ts';

let h: RunningHubspotHub;
beforeAll(async () => {
  h = await startHubspotHub([{ portalId: 31, installed: false }]);
});
afterAll(async () => h.stop());

const install = async () => {
  const res = await fetch(`${h.url}/hubspot/oauth/install`, { redirect: 'manual' });
  const location = new URL(res.headers.get('location') ?? '');
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  return { res, location, cookie, state: location.searchParams.get('state') ?? '' };
};

const callback = (query: Record<string, string>, cookie?: string) =>
  fetch(`${h.url}/hubspot/oauth/callback?${new URLSearchParams(query)}`, {
    headers: cookie ? { cookie } : {},
  });

describe('OAuth install per portal', () => {
  it('sends the admin to HubSpot with our client id, redirect URI, scopes and a signed state', async () => {
    const { res, location, cookie, state } = await install();
    expect(res.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(`${h.stub.url}/oauth/authorize`);
    expect(location.searchParams.get('client_id')).toBe('client-id');
    expect(location.searchParams.get('redirect_uri')).toBe(`${PUBLIC_URL}/hubspot/oauth/callback`);
    expect(location.searchParams.get('scope')).toBe('oauth automation crm.objects.contacts.write');
    expect(state.split('.')).toHaveLength(3);
    expect(cookie).toMatch(/^tidings_hubspot_oauth=/);
    expect(res.headers.get('set-cookie')).toContain('HttpOnly');
  });

  it('exchanges the code, makes the portal a tenant and stores its tokens encrypted', async () => {
    h.stub.hubId = 31;
    const { cookie, state } = await install();
    const res = await callback({ code: 'good-code', state }, cookie);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('portal 31');
    const [exchange] = h.stub.of('POST', '/oauth/v1/token');
    expect(exchange?.body).toContain('grant_type=authorization_code');
    expect(exchange?.body).toContain(encodeURIComponent(`${PUBLIC_URL}/hubspot/oauth/callback`));
    expect(await h.store.getTenant('31')).toMatchObject({ id: '31', active: true });
    const stored = await h.store.getCredential('31', HUBSPOT_CREDENTIAL);
    expect(stored.ok && (stored.value as PortalCredential)).toMatchObject({
      hubId: 31,
      refreshToken: 'refresh-1',
    });
    expect((await h.store.listCredentials('31')).map((c) => c.provider)).toContain(
      HUBSPOT_CREDENTIAL,
    );
  });

  it('installs a second portal as its own tenant', async () => {
    h.stub.hubId = 32;
    const { cookie, state } = await install();
    expect((await callback({ code: 'good-code', state }, cookie)).status).toBe(200);
    expect(await h.store.getTenant('32')).toBeDefined();
  });

  it('refuses a forged state, a state without its cookie, and a denied consent', async () => {
    const { cookie, state } = await install();
    const forged = await callback({ code: 'good-code', state: `${state.slice(0, -2)}xx` }, cookie);
    expect(forged.status).toBe(400);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe(
      'oauth_state_invalid',
    );
    expect((await callback({ code: 'good-code', state })).status).toBe(400);
    const denied = await callback({ error: 'access_denied', state }, cookie);
    expect(((await denied.json()) as { error: { code: string } }).error.code).toBe('oauth_denied');
  });

  it('refuses a state older than ten minutes', async () => {
    const { cookie, state } = await install();
    h.advance(11 * 60_000);
    const res = await callback({ code: 'good-code', state }, cookie);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(
      'oauth_state_expired',
    );
  });

  it('answers 502 without echoing HubSpot when the code is refused', async () => {
    const { cookie, state } = await install();
    const res = await callback({ code: 'bad-code', state }, cookie);
    expect(res.status).toBe(502);
    expect(JSON.stringify(await res.json())).not.toContain('BAD_AUTH_CODE');
  });
});

describe('tokens refresh before they expire', () => {
  it('refreshes once, for many callers, when less than five minutes are left', async () => {
    const c = await h.store.getCredential('31', HUBSPOT_CREDENTIAL);
    if (!c.ok) throw new Error('no credential');
    const cred = c.value as PortalCredential;
    await h.handle.tokens.save('31', { ...cred, expiresAt: h.clock.now().getTime() + 4 * 60_000 });
    const before = h.stub.of('POST', '/oauth/v1/token').length;
    const tokens = await Promise.all([1, 2, 3].map(() => h.handle.tokens.accessToken('31')));
    const refreshes = h.stub.of('POST', '/oauth/v1/token').slice(before);
    expect(refreshes).toHaveLength(1);
    expect(refreshes[0]?.body).toContain('grant_type=refresh_token');
    const issued = h.stub.issued.at(-1);
    for (const t of tokens) expect(t).toEqual({ ok: true, accessToken: issued });
    const saved = await h.store.getCredential('31', HUBSPOT_CREDENTIAL);
    expect(saved.ok && (saved.value as PortalCredential).expiresAt).toBeGreaterThan(
      h.clock.now().getTime() + 20 * 60_000,
    );
    // Fresh now: no further refresh.
    await h.handle.tokens.accessToken('31');
    expect(h.stub.of('POST', '/oauth/v1/token').length).toBe(before + 1);
  });

  it('reports a refused refresh as a value with a stable code', async () => {
    const c = await h.store.getCredential('32', HUBSPOT_CREDENTIAL);
    if (!c.ok) throw new Error('no credential');
    await h.handle.tokens.save('32', { ...(c.value as PortalCredential), expiresAt: 0 });
    h.stub.refreshWorks = false;
    const r = await h.handle.tokens.accessToken('32');
    h.stub.refreshWorks = true;
    expect(r).toMatchObject({ ok: false, error: { code: 'refresh_failed', class: 'permanent' } });
    expect(await h.handle.tokens.accessToken('404')).toMatchObject({
      ok: false,
      error: { code: 'portal_not_installed' },
    });
  });
});
