/** @module The inbound platforms whose vocabularies core understands. */

export const PLATFORM_IDS = [
  'shopify',
  'woocommerce',
  'salesforce',
  'hubspot',
  'netsuite',
  'sap',
  'pipedrive',
  'aftership',
  'easypost',
  'zendesk',
] as const;
export type PlatformId = (typeof PLATFORM_IDS)[number];

/**
 * Where an event came from. Besides the platforms with a vocabulary, events arrive from staff
 * (manual overrides), our own scheduler (SLA watches) and the generic events API.
 */
export const SOURCE_IDS = [...PLATFORM_IDS, 'manual', 'scheduler', 'api'] as const;
export type SourceId = (typeof SOURCE_IDS)[number];

const PLATFORM_SET: ReadonlySet<string> = new Set(PLATFORM_IDS);
export const isPlatformId = (s: string): s is PlatformId => PLATFORM_SET.has(s);
