/**
 * @module Reading a document's current status back from S/4HANA: the sales-order and
 * outbound-delivery OData v2 APIs (`API_SALES_ORDER_SRV/A_SalesOrder`,
 * `API_OUTBOUND_DELIVERY_SRV/A_OutbDeliveryHeader`), as a communication user or with OAuth
 * client credentials (tokens cached until shortly before they expire).
 */
import { z } from 'zod';
import { basicAuthHeader } from '../shared/basic-auth.ts';
import type { SapCredential } from './sap-credential.ts';

const status = z.string().max(4).default('');

export const SalesOrderSchema = z.looseObject({
  SalesOrder: z.string().min(1),
  PurchaseOrderByCustomer: z.string().optional(),
  OverallSDProcessStatus: status,
  OverallTotalDeliveryStatus: status,
  OverallSDDocumentRejectionSts: status,
  TotalCreditCheckStatus: status,
  DeliveryBlockReason: status,
  HeaderBillingBlockReason: status,
});
export type SalesOrder = z.infer<typeof SalesOrderSchema>;

export const OutboundDeliverySchema = z.looseObject({
  DeliveryDocument: z.string().min(1),
  OverallGoodsMovementStatus: status,
  OverallPackingStatus: status,
  OverallPickingStatus: status,
  DeliveryBlockReason: status,
  to_DeliveryDocumentItem: z
    .object({ results: z.array(z.looseObject({ ReferenceSDDocument: z.string().optional() })) })
    .optional(),
});
export type OutboundDelivery = z.infer<typeof OutboundDeliverySchema>;

export type ODataRead<T> =
  | { ok: true; value: T }
  | { ok: false; code: 'not_found' | 'unavailable' | 'unexpected_body'; status?: number };

export interface SapODataClient {
  salesOrder(key: string): Promise<ODataRead<SalesOrder>>;
  outboundDelivery(key: string): Promise<ODataRead<OutboundDelivery>>;
}

const tokens = new Map<string, { token: string; until: number }>();

const authorization = async (
  odata: SapCredential['odata'],
  fetchFn: typeof fetch,
  nowMs: number,
): Promise<string | undefined> => {
  const auth = odata.auth;
  if (auth.kind === 'basic') return basicAuthHeader(auth.username, auth.password);
  const cacheKey = `${auth.tokenUrl}\u0000${auth.clientId}`;
  const cached = tokens.get(cacheKey);
  if (cached && cached.until > nowMs) return `Bearer ${cached.token}`;
  const form = new URLSearchParams({ grant_type: 'client_credentials' });
  if (auth.scope) form.set('scope', auth.scope);
  const res = await fetchFn(auth.tokenUrl, {
    method: 'POST',
    headers: {
      authorization: basicAuthHeader(auth.clientId, auth.clientSecret),
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    },
    body: form.toString(),
    signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) return undefined;
  const body = (await res.json()) as { access_token?: unknown; expires_in?: unknown };
  if (typeof body.access_token !== 'string') return undefined;
  const ttl = typeof body.expires_in === 'number' ? body.expires_in : 300;
  tokens.set(cacheKey, { token: body.access_token, until: nowMs + Math.max(0, ttl - 60) * 1000 });
  return `Bearer ${body.access_token}`;
};

/** An OData client for one tenant's system. */
export const createSapODataClient = (
  odata: SapCredential['odata'],
  fetchFn: typeof fetch,
  now: () => number,
): SapODataClient => {
  const read = async <T>(
    path: string,
    schema: z.ZodType<T>,
    params: Record<string, string> = {},
  ): Promise<ODataRead<T>> => {
    try {
      const auth = await authorization(odata, fetchFn, now());
      if (!auth) return { ok: false, code: 'unavailable' };
      const url = new URL(path, odata.baseUrl);
      url.searchParams.set('$format', 'json');
      for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
      if (odata.sapClient) url.searchParams.set('sap-client', odata.sapClient);
      const res = await fetchFn(url, {
        headers: { authorization: auth, accept: 'application/json' },
        signal: AbortSignal.timeout(8000),
      });
      if (res.status === 404) return { ok: false, code: 'not_found', status: 404 };
      if (!res.ok) return { ok: false, code: 'unavailable', status: res.status };
      const parsed = schema.safeParse(((await res.json()) as { d?: unknown }).d);
      return parsed.success
        ? { ok: true, value: parsed.data }
        : { ok: false, code: 'unexpected_body' };
    } catch {
      return { ok: false, code: 'unavailable' };
    }
  };
  const key = (k: string) => `'${encodeURIComponent(k.replace(/'/g, "''"))}'`;
  return {
    salesOrder: (k) =>
      read(`/sap/opu/odata/sap/API_SALES_ORDER_SRV/A_SalesOrder(${key(k)})`, SalesOrderSchema),
    // The items carry the delivery's link to its sales order (`ReferenceSDDocument`).
    outboundDelivery: (k) =>
      read(
        `/sap/opu/odata/sap/API_OUTBOUND_DELIVERY_SRV/A_OutbDeliveryHeader(${key(k)})`,
        OutboundDeliverySchema,
        { $expand: 'to_DeliveryDocumentItem' },
      ),
  };
};
