/** @module A tenant's Pipedrive settings, stored with `store.putCredential(tenantId, 'pipedrive', …)`. */
import { z } from 'zod';

export const PipedriveCredentialSchema = z.object({
  /** The `http_auth_user` / `http_auth_password` given when creating the webhook. */
  webhookUser: z.string().min(1),
  webhookPassword: z.string().min(12),
  /** An API token for notes and person look-ups; without it nothing is written back. */
  apiToken: z.string().min(1).optional(),
  /** The company's API host, e.g. `https://acme.pipedrive.com`. */
  apiBaseUrl: z.url().default('https://api.pipedrive.com'),
  /** Pin our notes to the deal. */
  pinNotes: z.boolean().default(false),
});
export type PipedriveCredential = z.infer<typeof PipedriveCredentialSchema>;

/** A deal's order ref in Tidings; deals and shop orders of one tenant must not collide. */
export const dealOrderRef = (dealId: number | string): string => `deal-${dealId}`;

/** The deal id behind an order ref, or undefined for orders that are not Pipedrive deals. */
export const dealIdOf = (orderRef: string): number | undefined => {
  const m = /^deal-(\d{1,15})$/.exec(orderRef);
  return m?.[1] === undefined ? undefined : Number(m[1]);
};
