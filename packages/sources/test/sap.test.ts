import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthHeader } from '../src/shared/basic-auth.ts';
import { type HttpStub, startStub } from './http-stub.ts';
import { type SourcesHub, startSourcesHub } from './sources-harness.ts';

// Shapes from SAP's public samples (sources.md §7.2): the event carries keys only.
const salesOrderEvent = (
  id: string,
  salesOrder: string,
  type = 'sap.s4.beh.salesorder.v1.SalesOrder.Changed.v1',
) => ({
  type,
  specversion: '1.0',
  source: '/default/sap.s4.beh/S4HCLNT100',
  id,
  time: '2026-01-01T14:39:47Z',
  datacontenttype: 'application/json',
  data: { SalesOrder: salesOrder },
});

const orders: Record<string, Record<string, string>> = {
  '4800': { OverallSDProcessStatus: 'B' },
  '4801': { OverallSDProcessStatus: 'A', DeliveryBlockReason: '01' },
  '4802': { OverallSDProcessStatus: 'A', OverallSDDocumentRejectionSts: 'C' },
  '4803': { OverallSDProcessStatus: 'Q' },
};

describe('SAP S/4HANA', () => {
  let h: SourcesHub;
  let odata: HttpStub;
  let failing = false;

  beforeAll(async () => {
    odata = await startStub((req) => {
      if (req.path === '/oauth/token') {
        return {
          status: 200,
          body: { access_token: 'sap-access-1', token_type: 'bearer', expires_in: 3600 },
        };
      }
      if (failing) return { status: 503, body: { error: { message: 'secret SAP detail' } } };
      const path = decodeURIComponent(req.path);
      const so = /A_SalesOrder\('(\d+)'\)\?\$format=json/.exec(path);
      if (so?.[1] && orders[so[1]]) {
        return {
          status: 200,
          body: {
            d: {
              SalesOrder: so[1],
              OverallTotalDeliveryStatus: '',
              OverallSDDocumentRejectionSts: '',
              TotalCreditCheckStatus: '',
              DeliveryBlockReason: '',
              HeaderBillingBlockReason: '',
              ...orders[so[1]],
            },
          },
        };
      }
      if (
        /A_OutbDeliveryHeader\('80000001'\)\?\$format=json&\$expand=to_DeliveryDocumentItem/.test(
          path,
        )
      ) {
        return {
          status: 200,
          body: {
            d: {
              DeliveryDocument: '80000001',
              OverallGoodsMovementStatus: 'C',
              OverallPackingStatus: 'C',
              OverallPickingStatus: 'C',
              DeliveryBlockReason: '',
              to_DeliveryDocumentItem: {
                results: [{ DeliveryDocumentItem: '10', ReferenceSDDocument: '4800' }],
              },
            },
          },
        };
      }
      return { status: 404, body: { error: {} } };
    });
    h = await startSourcesHub();
  });
  afterAll(async () => {
    await h.stop();
    await odata.stop();
  });

  const useBasic = () =>
    h.store.putCredential(
      h.tenantId,
      'sap',
      {
        inbound: { kind: 'basic', username: 'EVENTMESH', password: 'mesh-password-0123' },
        odata: {
          baseUrl: odata.url,
          auth: { kind: 'basic', username: 'COMM_USER', password: 'comm-pass' },
        },
      },
      '2026-01-01T00:00:00Z',
    );
  const mesh = basicAuthHeader('EVENTMESH', 'mesh-password-0123');

  it('reads the sales order back through OData after a structured-mode event', async () => {
    await useBasic();
    const body = JSON.stringify(salesOrderEvent('fffe3055-0001', '4800'));
    const res = await h.post(`/sources/sap/${h.tenantId}`, body, {
      'content-type': 'application/cloudevents+json',
      authorization: mesh,
    });
    expect(res).toMatchObject({
      status: 202,
      json: {
        mode: 'structured',
        results: [{ outcome: 'accepted', orderRef: '4800', status: 'processing' }],
      },
    });
    const read = odata.requests.find((r) => r.path.includes('A_SalesOrder'));
    expect(decodeURIComponent(read?.path ?? '')).toBe(
      "/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder('4800')?$format=json",
    );
    expect(read?.headers.authorization).toBe(basicAuthHeader('COMM_USER', 'comm-pass'));
    const [stored] = await h.store.listEvents(h.tenantId, '4800');
    expect(stored?.sourceEventId).toBe('/default/sap.s4.beh/S4HCLNT100#fffe3055-0001');

    const again = await h.post(`/sources/sap/${h.tenantId}`, body, {
      'content-type': 'application/cloudevents+json',
      authorization: mesh,
    });
    expect(again).toMatchObject({ status: 200, json: { results: [{ outcome: 'duplicate' }] } });
  });

  it('maps holds, rejections and each process status through core’s SAP tables (batched mode)', async () => {
    const batch = JSON.stringify([salesOrderEvent('b-1', '4801'), salesOrderEvent('b-2', '4802')]);
    const res = await h.post(`/sources/sap/${h.tenantId}`, batch, {
      'content-type': 'application/cloudevents-batch+json',
      authorization: mesh,
    });
    expect(res.status).toBe(202);
    expect((await h.store.listEvents(h.tenantId, '4801'))[0]?.event).toMatchObject({
      status: 'created',
      overlay: { kind: 'on_hold', reason: 'manual' },
    });
    expect((await h.store.listEvents(h.tenantId, '4802'))[0]?.event.status).toBe('cancelled');
  });

  it('answers 422 naming an unknown status value, and stores nothing of the batch', async () => {
    const batch = JSON.stringify([salesOrderEvent('c-1', '4800'), salesOrderEvent('c-2', '4803')]);
    const res = await h.post(`/sources/sap/${h.tenantId}`, batch, {
      'content-type': 'application/cloudevents-batch+json',
      authorization: mesh,
    });
    expect(res).toMatchObject({
      status: 422,
      json: { error: { code: 'unknown_status', value: 'Q' } },
    });
    expect(
      (await h.store.listEvents(h.tenantId, '4800')).map((e) => e.sourceEventId),
    ).not.toContain('/default/sap.s4.beh/S4HCLNT100#c-1');
  });

  it('takes binary mode with ce-* headers, OAuth both ways, and dispatches the delivery’s shipment', async () => {
    await h.store.putCredential(
      h.tenantId,
      'sap',
      {
        inbound: {
          kind: 'oauth',
          clientId: 'eventmesh',
          clientSecret: 'mesh-client-secret-0123456789abcdef',
        },
        odata: {
          baseUrl: odata.url,
          auth: {
            kind: 'oauth',
            tokenUrl: `${odata.url}/oauth/token`,
            clientId: 'tidings',
            clientSecret: 'odata-secret',
          },
        },
      },
      '2026-01-01T00:00:00Z',
    );
    const tokenRes = await fetch(`${h.url}/sources/sap/${h.tenantId}/oauth/token`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: basicAuthHeader('eventmesh', 'mesh-client-secret-0123456789abcdef'),
      },
      body: 'grant_type=client_credentials',
    });
    expect(tokenRes.status).toBe(200);
    const { access_token: token } = (await tokenRes.json()) as { access_token: string };

    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'ce-specversion': '1.0',
      'ce-type': 'sap.s4.beh.outbounddelivery.v1.OutboundDelivery.Created.v1',
      'ce-source': '/default/sap.s4.beh/S4HCLNT100',
      'ce-id': 'd-0001',
      'ce-time': '2026-01-01T14:50:00Z',
    };
    const res = await h.post(
      `/sources/sap/${h.tenantId}`,
      JSON.stringify({ OutboundDelivery: '80000001' }),
      headers,
    );
    expect(res).toMatchObject({
      status: 202,
      json: {
        mode: 'binary',
        results: [{ outcome: 'accepted', orderRef: '4800', status: 'dispatched' }],
      },
    });
    const state = await h.store.getOrderState(h.tenantId, '4800');
    expect(state?.state.shipments.find((s) => s.id === '80000001')?.progress).toBe('dispatched');
    const odataRead = odata.requests.findLast((r) => r.path.includes('A_OutbDeliveryHeader'));
    expect(odataRead?.headers.authorization).toBe('Bearer sap-access-1');
    const tokenCall = odata.requests.find((r) => r.path === '/oauth/token');
    expect(tokenCall?.body).toBe('grant_type=client_credentials');
    expect(tokenCall?.headers.authorization).toBe(basicAuthHeader('tidings', 'odata-secret'));

    const missing = await h.post(`/sources/sap/${h.tenantId}`, '{"OutboundDelivery":"80000001"}', {
      ...headers,
      'ce-id': '',
      'ce-specversion': '0.3',
    });
    expect(missing).toMatchObject({ status: 422, json: { error: { code: 'invalid_payload' } } });
    const forged = await h.post(`/sources/sap/${h.tenantId}`, '{}', {
      ...headers,
      authorization: `Bearer ${token.slice(0, -2)}xx`,
    });
    expect(forged.status).toBe(401);
    h.now.value = new Date(h.now.value.getTime() + 3601_000);
    const expired = await h.post(`/sources/sap/${h.tenantId}`, '{}', headers);
    expect(expired.status).toBe(401);
    const wrongClient = await fetch(`${h.url}/sources/sap/${h.tenantId}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&client_id=eventmesh&client_secret=nope',
    });
    expect(wrongClient.status).toBe(401);
  });

  it('answers 401 to wrong Basic credentials, ignores other event types, and 502s while OData is down', async () => {
    await useBasic();
    const body = JSON.stringify(salesOrderEvent('e-1', '4800'));
    const ct = { 'content-type': 'application/cloudevents+json' };
    expect(
      (
        await h.post(`/sources/sap/${h.tenantId}`, body, {
          ...ct,
          authorization: basicAuthHeader('EVENTMESH', 'wrong-password-00'),
        })
      ).status,
    ).toBe(401);
    const other = JSON.stringify({
      ...salesOrderEvent('e-2', '4800'),
      type: 'sap.s4.beh.businesspartner.v1.BusinessPartner.Changed.v1',
    });
    expect(
      await h.post(`/sources/sap/${h.tenantId}`, other, { ...ct, authorization: mesh }),
    ).toMatchObject({ status: 200, json: { results: [{ outcome: 'ignored' }] } });
    failing = true;
    try {
      const down = await h.post(
        `/sources/sap/${h.tenantId}`,
        JSON.stringify(salesOrderEvent('e-3', '4800')),
        { ...ct, authorization: mesh },
      );
      expect(down).toMatchObject({
        status: 502,
        json: { error: { code: 'sap_odata_unavailable' } },
      });
      expect(JSON.stringify(down.json)).not.toContain('secret SAP detail');
    } finally {
      failing = false;
    }
    const ids = (await h.store.listEvents(h.tenantId, '4800')).map((e) => e.sourceEventId);
    expect(ids.some((i) => i.endsWith('#e-3') || i.endsWith('#e-2') || i.endsWith('#e-1'))).toBe(
      false,
    );
  });
});
