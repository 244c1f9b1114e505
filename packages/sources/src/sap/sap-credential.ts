/** @module A tenant's SAP S/4HANA settings, stored with `store.putCredential(tenantId, 'sap', …)`. */
import { z } from 'zod';

const basic = z.object({
  kind: z.literal('basic'),
  username: z.string().min(1),
  password: z.string().min(12),
});

/** How Event Mesh authenticates to us: Basic, or OAuth client credentials at our token URL. */
export const SapInboundAuthSchema = z.discriminatedUnion('kind', [
  basic,
  z.object({
    kind: z.literal('oauth'),
    clientId: z.string().min(1),
    clientSecret: z.string().min(32),
    tokenTtlSeconds: z.number().int().min(60).max(86_400).default(3600),
  }),
]);

/** How we authenticate to the OData APIs: a communication user, or OAuth client credentials. */
export const SapODataAuthSchema = z.discriminatedUnion('kind', [
  basic.extend({ password: z.string().min(1) }),
  z.object({
    kind: z.literal('oauth'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    clientSecret: z.string().min(1),
    scope: z.string().optional(),
  }),
]);

export const SapCredentialSchema = z.object({
  inbound: SapInboundAuthSchema,
  odata: z.object({
    /** The S/4HANA API host, e.g. `https://my123456-api.s4hana.cloud.sap`. */
    baseUrl: z.url(),
    auth: SapODataAuthSchema,
    /** `sap-client` for on-premise systems with several clients. */
    sapClient: z
      .string()
      .regex(/^\d{3}$/)
      .optional(),
  }),
});
export type SapCredential = z.infer<typeof SapCredentialSchema>;
export type SapODataAuth = z.infer<typeof SapODataAuthSchema>;
