import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildActionDefinition } from '../src/action-definition.ts';
import { registerActionDefinition } from '../src/register-action.ts';
import { type HubspotStub, startHubspotStub } from './hubspot-stub.ts';

let stub: HubspotStub;
beforeAll(async () => {
  stub = await startHubspotStub();
});
afterAll(async () => stub.close());

describe('registering the action definition', () => {
  const definition = buildActionDefinition({ publicUrl: 'https://tidings.example.com' });
  const input = () => ({ appId: 4242, developerApiKey: 'dev-key', definition, basePath: stub.url });

  it('creates it once, then finds it unchanged, through the client library', async () => {
    const first = await registerActionDefinition(input());
    expect(first).toMatchObject({ ok: true, outcome: 'created' });
    const again = await registerActionDefinition(input());
    expect(again).toMatchObject({ ok: true, outcome: 'unchanged' });
    expect(stub.definitions.get('4242')).toHaveLength(1);
    const [create] = stub.of('POST', '/automation/v4/actions/4242');
    expect(create?.query.get('hapikey')).toBe('dev-key');
    expect(create?.json).toMatchObject({
      actionUrl: definition.actionUrl,
      objectTypes: definition.objectTypes,
      published: false,
    });
    expect(create?.json).toHaveProperty('labels.de');
  });

  it('updates it in place when the definition changed', async () => {
    const published = { ...input(), definition: { ...definition, published: true } };
    const r = await registerActionDefinition(published);
    expect(r).toMatchObject({ ok: true, outcome: 'updated' });
    expect(stub.definitions.get('4242')).toHaveLength(1);
    expect(stub.of('PATCH', '/automation/v4/actions/4242/')).toHaveLength(1);
    expect(await registerActionDefinition(published)).toMatchObject({ outcome: 'unchanged' });
  });

  it('fails as a value, never a throw, when HubSpot refuses the key', async () => {
    const r = await registerActionDefinition({ ...input(), developerApiKey: 'wrong' });
    expect(r).toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'hubspot_unauthorized' }),
    });
  });
});
