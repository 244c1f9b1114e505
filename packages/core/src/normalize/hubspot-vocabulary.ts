/**
 * @module HubSpot pipeline stages (sources.md §4.6): the default deal pipeline's stage ids, and
 * the commerce Order pipeline whose stages each portal maps (read at install).
 */
import { ignore, to } from './status-mapping.ts';
import type { PlatformVocabulary } from './vocabulary.ts';

const preSale = ignore('pre-sale stage');

export const hubspotVocabulary: PlatformVocabulary = {
  platform: 'hubspot',
  label: 'HubSpot',
  primaryField: 'dealstage',
  fields: {
    dealstage: {
      aliases: ['deal_stage'],
      scope: 'order',
      tenantConfigured: true,
      source: 'default deal pipeline stage ids (pipelines overview); custom stages per portal',
      rows: {
        appointmentscheduled: preSale,
        qualifiedtobuy: preSale,
        presentationscheduled: preSale,
        decisionmakerboughtin: preSale,
        contractsent: preSale,
        closedwon: to('created'),
        closedlost: to('cancelled', {
          guard: { requires: 'prior_progress', otherwise: 'ignore' },
          note: 'a cancellation only if the deal had been won; else a lost lead',
        }),
      },
    },
    hs_pipeline_stage: {
      aliases: ['pipeline_stage'],
      scope: 'order',
      tenantConfigured: true,
      source: 'GET /crm/v3/pipelines/order at install; every stage mapped by the portal',
      rows: {},
    },
  },
};
