/**
 * @module Salesforce `Order.Status` (sources.md §3.2). Orgs add their own picklist values under
 * the two StatusCode categories, so everything beyond the two standard values is per tenant.
 */
import { ignore, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

export const salesforceVocabulary: PlatformVocabulary = {
  platform: 'salesforce',
  label: 'Salesforce',
  primaryField: 'Status',
  fields: {
    Status: {
      aliases: ['OrderStatus', 'StatusCode'],
      scope: 'order',
      tenantConfigured: true,
      source:
        'OrderStatus object, StatusCode Draft | Activated (object reference, API 48.0+); custom values per org',
      rows: {
        draft: ignore('not yet an order for the customer; a tenant may map it to `created`'),
        activated: to('created'),
      },
    },
  },
};
