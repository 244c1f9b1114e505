/** @module Every platform's vocabulary, keyed by platform id. */
import type { PlatformId } from '../platforms.ts';
import { aftershipVocabulary } from './aftership-vocabulary.ts';
import { easypostVocabulary } from './easypost-vocabulary.ts';
import { hubspotVocabulary } from './hubspot-vocabulary.ts';
import { netsuiteVocabulary } from './netsuite-vocabulary.ts';
import { pipedriveVocabulary } from './pipedrive-vocabulary.ts';
import { salesforceVocabulary } from './salesforce-vocabulary.ts';
import { sapVocabulary } from './sap-vocabulary.ts';
import { shopifyVocabulary } from './shopify-vocabulary.ts';
import type { PlatformVocabulary } from './vocabulary.ts';
import { woocommerceVocabulary } from './woocommerce-vocabulary.ts';
import { zendeskVocabulary } from './zendesk-vocabulary.ts';

export const VOCABULARIES: Readonly<Record<PlatformId, PlatformVocabulary>> = {
  shopify: shopifyVocabulary,
  woocommerce: woocommerceVocabulary,
  salesforce: salesforceVocabulary,
  hubspot: hubspotVocabulary,
  netsuite: netsuiteVocabulary,
  sap: sapVocabulary,
  pipedrive: pipedriveVocabulary,
  aftership: aftershipVocabulary,
  easypost: easypostVocabulary,
  zendesk: zendeskVocabulary,
};
