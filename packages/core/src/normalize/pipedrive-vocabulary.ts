/**
 * @module Pipedrive deals (sources.md §8.4): the deal `status`, and `stage_id`, whose integer ids
 * are per company and mapped by the tenant at install.
 */
import { ignore, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

export const pipedriveVocabulary: PlatformVocabulary = {
  platform: 'pipedrive',
  label: 'Pipedrive',
  primaryField: 'status',
  fields: {
    status: {
      aliases: ['deal.status'],
      scope: 'order',
      source: 'Pipedrive API v2 deal `status` (enumeration UNVERIFIED in the v2 spec)',
      rows: {
        open: ignore('deal still open'),
        won: to('created', { note: 'order confirmed, unless the tenant maps stages instead' }),
        lost: to('cancelled', {
          guard: { requires: 'prior_progress', otherwise: 'ignore' },
          note: 'a cancellation only if the deal had been won',
        }),
        deleted: ignore('deal deleted'),
      },
    },
    stage_id: {
      aliases: ['deal.stage_id', 'stage'],
      scope: 'order',
      tenantConfigured: true,
      source: 'GET /api/v2/stages at install; every stage id mapped by the tenant',
      rows: {},
    },
  },
};
