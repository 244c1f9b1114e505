/**
 * @module `normalizeStatus`: a platform's own status value → canonical status, through the
 * platform's tables and the tenant's own mappings. Unknown values are errors that name the value,
 * the field and the platform; they are never silently dropped.
 */
import type { OrderEvent } from '../order-event.ts';
import { isPlatformId, PLATFORM_IDS, type PlatformId } from '../platforms.ts';
import type { CoreError, Err } from '../result.ts';
import type { StatusMapping } from './status-mapping.ts';
import { VOCABULARIES } from './vocabularies.ts';
import type { FieldTable, PlatformVocabulary, StatusScope } from './vocabulary.ts';

/** A tenant's own rows: platform → field → value → mapping. They win over the defaults. */
export type TenantStatusMappings = Partial<
  Record<PlatformId, Readonly<Record<string, Readonly<Record<string, StatusMapping>>>>>
>;

export interface NormalizeOptions {
  mappings?: TenantStatusMappings;
}

export type NormalizedStatus = {
  ok: true;
  platform: PlatformId;
  /** The vocabulary's own name for the field that matched. */
  field: string;
  /** The value exactly as given. */
  value: string;
  scope: StatusScope;
  /** Whether the tenant's table or the built-in one decided. */
  mappedBy: 'tenant' | 'default';
} & Omit<StatusMapping, 'note'>;

export const NORMALIZE_ERROR_CODES = [
  'unknown_platform',
  'unknown_field',
  'unknown_status',
  'ambiguous_status',
] as const;
export type NormalizeErrorCode = (typeof NORMALIZE_ERROR_CODES)[number];

export interface NormalizeError extends CoreError<NormalizeErrorCode> {
  platform: string;
  value: string;
  field?: string;
  /** For `unknown_field`: the fields that exist; for `ambiguous_status`: those that matched. */
  fields?: string[];
}

export type NormalizeResult = NormalizedStatus | Err<NormalizeError>;

const fieldKey = (name: string): string => name.toLowerCase().replace(/[^a-z0-9.]/g, '');

const findField = (
  vocabulary: PlatformVocabulary,
  field: string,
): [string, FieldTable] | undefined => {
  const wanted = fieldKey(field);
  return Object.entries(vocabulary.fields).find(
    ([name, table]) =>
      fieldKey(name) === wanted || (table.aliases ?? []).some((a) => fieldKey(a) === wanted),
  );
};

const valueKey = (vocabulary: PlatformVocabulary, table: FieldTable, value: string): string => {
  const lowered = value.trim().toLowerCase();
  const cleaned = vocabulary.canonicalizeValue ? vocabulary.canonicalizeValue(lowered) : lowered;
  return table.valueAliases?.[cleaned] ?? cleaned;
};

const tenantRow = (
  vocabulary: PlatformVocabulary,
  table: FieldTable,
  fieldName: string,
  key: string,
  mappings: TenantStatusMappings | undefined,
): StatusMapping | undefined => {
  const byField = mappings?.[vocabulary.platform];
  if (!byField) return undefined;
  for (const [name, rows] of Object.entries(byField)) {
    if (findField(vocabulary, name)?.[0] !== fieldName) continue;
    for (const [value, mapping] of Object.entries(rows)) {
      if (valueKey(vocabulary, table, value) === key) return mapping;
    }
  }
  return undefined;
};

type Hit = {
  field: string;
  table: FieldTable;
  mapping: StatusMapping;
  mappedBy: 'tenant' | 'default';
};

const lookUp = (
  vocabulary: PlatformVocabulary,
  fieldName: string,
  table: FieldTable,
  value: string,
  mappings: TenantStatusMappings | undefined,
): Hit | undefined => {
  const key = valueKey(vocabulary, table, value);
  const own = tenantRow(vocabulary, table, fieldName, key, mappings);
  if (own) return { field: fieldName, table, mapping: own, mappedBy: 'tenant' };
  const row = Object.hasOwn(table.rows, key) ? table.rows[key] : table.openFamily?.resolve(key);
  return row ? { field: fieldName, table, mapping: row, mappedBy: 'default' } : undefined;
};

const sameMeaning = (a: StatusMapping, b: StatusMapping): boolean => {
  const { note: _a, ...x } = a;
  const { note: _b, ...y } = b;
  return JSON.stringify(x) === JSON.stringify(y);
};

const fail = (
  code: NormalizeErrorCode,
  message: string,
  detail: Omit<NormalizeError, 'code' | 'message'>,
): Err<NormalizeError> => ({ ok: false, error: { code, message, ...detail } });

const success = (platform: PlatformId, value: string, hit: Hit): NormalizedStatus => {
  const { note: _note, ...mapping } = hit.mapping;
  return {
    ok: true,
    platform,
    field: hit.field,
    value,
    scope: hit.table.scope,
    mappedBy: hit.mappedBy,
    ...mapping,
  };
};

/**
 * Maps a platform's status value to the canonical vocabulary. With no `field`, the platform's
 * primary field is tried first (EasyPost `status`, NetSuite `orderstatus`, …); then every other
 * field, where the value must mean one thing across them (Shopify has no primary field, and
 * `pending` is both a financial and a fulfillment status there, so it needs its field).
 */
export const normalizeStatus = (
  platform: string,
  value: string | null,
  field?: string,
  options: NormalizeOptions = {},
): NormalizeResult => {
  // Shopify's REST `fulfillment_status` is JSON null for "unfulfilled".
  const text = value ?? 'null';
  if (!isPlatformId(platform)) {
    return fail(
      'unknown_platform',
      `Unknown platform "${platform}"; expected one of ${PLATFORM_IDS.join(', ')}.`,
      { platform, value: text },
    );
  }
  const vocabulary = VOCABULARIES[platform];
  const fieldNames = Object.keys(vocabulary.fields);

  if (field !== undefined) {
    const found = findField(vocabulary, field);
    if (!found) {
      return fail(
        'unknown_field',
        `${vocabulary.label} has no status field "${field}"; known fields: ${fieldNames.join(', ')}.`,
        { platform, value: text, field, fields: fieldNames },
      );
    }
    const [name, table] = found;
    const hit = lookUp(vocabulary, name, table, text, options.mappings);
    if (hit) return success(platform, text, hit);
    const hint = table.tenantConfigured
      ? ' Values of this field are configured per tenant: add it to the tenant’s status mappings.'
      : '';
    return fail('unknown_status', `Unknown ${vocabulary.label} ${name} value "${text}".${hint}`, {
      platform,
      value: text,
      field: name,
    });
  }

  const primary = vocabulary.primaryField ? vocabulary.fields[vocabulary.primaryField] : undefined;
  if (vocabulary.primaryField && primary) {
    const hit = lookUp(vocabulary, vocabulary.primaryField, primary, text, options.mappings);
    if (hit) return success(platform, text, hit);
  }
  const hits = Object.entries(vocabulary.fields).flatMap(([name, table]) => {
    const hit = lookUp(vocabulary, name, table, text, options.mappings);
    return hit ? [hit] : [];
  });
  const [first, ...rest] = hits;
  if (!first) {
    return fail(
      'unknown_status',
      `Unknown ${vocabulary.label} status value "${text}" (looked in ${fieldNames.join(', ')}).`,
      { platform, value: text },
    );
  }
  if (rest.every((h) => sameMeaning(h.mapping, first.mapping)))
    return success(platform, text, first);
  const matched = hits.map((h) => h.field);
  return fail(
    'ambiguous_status',
    `${vocabulary.label} value "${text}" means different things in ${matched.join(', ')}; name the field.`,
    { platform, value: text, fields: matched },
  );
};

/** The status part of an `OrderEvent` that a normalized value implies. */
export const eventStatusOf = (
  n: NormalizedStatus,
): Pick<OrderEvent, 'status' | 'raw' | 'overlay' | 'pickup' | 'guard' | 'voidShipment'> => ({
  status: n.status,
  raw: { value: n.value, field: n.field },
  ...(n.overlay
    ? { overlay: n.reason ? { kind: n.overlay, reason: n.reason } : { kind: n.overlay } }
    : {}),
  ...(n.pickup ? { pickup: true } : {}),
  ...(n.guard ? { guard: n.guard } : {}),
  ...(n.voidShipment ? { voidShipment: true } : {}),
});
