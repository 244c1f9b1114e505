/**
 * @module Zendesk has no order status (sources.md §5.5): the tenant names a custom ticket field
 * (dropdown value tags such as `order_shipped`) or tags, and maps every value. Ticket `status`
 * (new/open/pending/…) is deliberately absent: it is not an order status.
 */
import type { PlatformVocabulary } from './vocabulary.ts';

const SOURCE = 'tenant-configured: Zendesk custom field value tags (sources.md §5.5)';

export const zendeskVocabulary: PlatformVocabulary = {
  platform: 'zendesk',
  label: 'Zendesk',
  primaryField: 'order_status',
  fields: {
    order_status: {
      aliases: ['custom_field', 'ticket.custom_field'],
      scope: 'order',
      tenantConfigured: true,
      source: SOURCE,
      rows: {},
    },
    tag: {
      aliases: ['tags', 'ticket.tags'],
      scope: 'order',
      tenantConfigured: true,
      source: SOURCE,
      rows: {},
    },
  },
};
