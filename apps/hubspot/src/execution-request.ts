/**
 * @module The execution request HubSpot POSTs to the action URL (sources.md §4.3), checked by
 * hand, and its mapping to a canonical `OrderEvent`: tenant = portal, dedupe key = callbackId.
 */
import {
  CANONICAL_STATUSES,
  type CanonicalStatus,
  eventStatusOf,
  normalizeStatus,
  type OrderEventInput,
  type TenantConfig,
  type TenantStatusMappings,
} from '@tidings/core';

/** The input fields the action definition declares (action-definition.ts). */
export const INPUT_FIELDS = {
  status: 'status',
  template: 'template',
  channel: 'channel',
  email: 'recipient_email',
  phone: 'recipient_phone',
  orderReference: 'order_reference',
} as const;

/** Channel override values; `auto` leaves the choice to the tenant's rules. */
export const CHANNEL_OVERRIDES = ['auto', 'email', 'sms', 'whatsapp'] as const;
export type ChannelOverride = (typeof CHANNEL_OVERRIDES)[number];

/** `auto`: the rule's template. */
export const AUTO_TEMPLATE = 'auto';

export interface ExecutionRequest {
  callbackId: string;
  origin: { portalId: number; actionDefinitionId?: number; actionDefinitionVersion?: number };
  context?: { source?: string; workflowId?: number };
  object: { objectId: string; objectType: string; properties: Record<string, string> };
  inputFields: Record<string, string>;
}

export type MappingErrorCode = 'malformed_execution' | 'invalid_input' | 'unknown_status';

export interface MappingError {
  code: MappingErrorCode;
  /** Names the field and the rule broken, never the value (it may be personal data). */
  message: string;
}

type Result<T> = ({ ok: true } & T) | { ok: false; error: MappingError };

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** HubSpot sends strings, numbers, booleans or null; we keep non-empty trimmed text. */
const textOf = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v.trim();
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'boolean') return String(v);
  return undefined;
};

const textMap = (v: unknown): Record<string, string> => {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [k, value] of Object.entries(v)) {
    const t = textOf(value);
    if (t !== undefined) out[k] = t;
  }
  return out;
};

const malformed = (message: string): { ok: false; error: MappingError } => ({
  ok: false,
  error: { code: 'malformed_execution', message },
});

/** Checks the shape of an execution request; only what Tidings relies on is required. */
export const parseExecutionRequest = (body: unknown): Result<{ request: ExecutionRequest }> => {
  if (!isRecord(body)) return malformed('The body is not a JSON object.');
  const callbackId = textOf(body.callbackId);
  if (callbackId === undefined || callbackId.length > 200)
    return malformed('callbackId is missing or too long.');
  if (!isRecord(body.origin)) return malformed('origin is missing.');
  const portalId = body.origin.portalId;
  if (typeof portalId !== 'number' || !Number.isSafeInteger(portalId) || portalId <= 0)
    return malformed('origin.portalId is not a positive integer.');
  if (!isRecord(body.object)) return malformed('object is missing.');
  const objectId = textOf(body.object.objectId);
  const objectType = textOf(body.object.objectType);
  if (objectId === undefined || objectType === undefined)
    return malformed('object.objectId and object.objectType are required.');
  const inputs = body.inputFields ?? body.fields;
  if (inputs !== undefined && !isRecord(inputs)) return malformed('inputFields is not an object.');
  const origin: ExecutionRequest['origin'] = { portalId };
  if (typeof body.origin.actionDefinitionId === 'number')
    origin.actionDefinitionId = body.origin.actionDefinitionId;
  if (typeof body.origin.actionDefinitionVersion === 'number')
    origin.actionDefinitionVersion = body.origin.actionDefinitionVersion;
  const request: ExecutionRequest = {
    callbackId,
    origin,
    object: {
      objectId,
      objectType: objectType.toUpperCase(),
      properties: textMap(body.object.properties),
    },
    inputFields: textMap(inputs),
  };
  if (isRecord(body.context)) {
    const context: NonNullable<ExecutionRequest['context']> = {};
    const source = textOf(body.context.source);
    if (source !== undefined) context.source = source;
    if (typeof body.context.workflowId === 'number') context.workflowId = body.context.workflowId;
    request.context = context;
  }
  return { ok: true, request };
};

/** The tenant a request belongs to: its portal. */
export const tenantOf = (request: ExecutionRequest): string => String(request.origin.portalId);

/** The order a request is about: the order reference given, else the enrolled record. */
export const orderRefOf = (request: ExecutionRequest): string =>
  request.inputFields[INPUT_FIELDS.orderReference] ??
  `hubspot-${request.object.objectType.toLowerCase()}-${request.object.objectId}`;

const CANONICAL: ReadonlySet<string> = new Set(CANONICAL_STATUSES);
const E164 = /^\+[1-9]\d{6,14}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The status field of HubSpot's vocabulary a property value of this record belongs to. */
const statusFieldFor = (objectType: string): 'dealstage' | 'hs_pipeline_stage' =>
  objectType === 'DEAL' || objectType === '0-3' ? 'dealstage' : 'hs_pipeline_stage';

const invalid = (message: string): { ok: false; error: MappingError } => ({
  ok: false,
  error: { code: 'invalid_input', message },
});

/**
 * Maps an execution request to an `OrderEventInput` (validated afterwards with core's
 * `parseOrderEvent`). A status input is either a canonical status (static) or a pipeline stage
 * (object property), normalized through the portal's own stage mappings.
 */
export const toOrderEvent = (
  request: ExecutionRequest,
  options: { occurredAt: string; mappings?: TenantConfig['statusMappings'] },
): Result<{ event: OrderEventInput; channel: ChannelOverride; template: string }> => {
  const inputs = request.inputFields;
  const rawStatus = inputs[INPUT_FIELDS.status];
  if (rawStatus === undefined) return invalid(`The "${INPUT_FIELDS.status}" input is empty.`);
  let status: Pick<
    OrderEventInput,
    'status' | 'raw' | 'overlay' | 'pickup' | 'guard' | 'voidShipment'
  >;
  if (CANONICAL.has(rawStatus)) {
    status = { status: rawStatus as CanonicalStatus, raw: { value: rawStatus, field: 'status' } };
  } else {
    const field = statusFieldFor(request.object.objectType);
    const normalized = normalizeStatus(
      'hubspot',
      rawStatus,
      field,
      // zod's parsed mappings allow `undefined` in optional keys; core's table type does not.
      options.mappings ? { mappings: options.mappings as TenantStatusMappings } : {},
    );
    if (!normalized.ok) {
      return {
        ok: false,
        error: {
          code: 'unknown_status',
          message: `The "${INPUT_FIELDS.status}" input is neither a Tidings status nor a ${field} value this portal maps.`,
        },
      };
    }
    status = eventStatusOf(normalized);
  }

  const channelInput = (inputs[INPUT_FIELDS.channel] ?? 'auto').toLowerCase();
  if (!(CHANNEL_OVERRIDES as readonly string[]).includes(channelInput))
    return invalid(
      `The "${INPUT_FIELDS.channel}" input must be one of ${CHANNEL_OVERRIDES.join(', ')}.`,
    );
  const channel = channelInput as ChannelOverride;

  const email = inputs[INPUT_FIELDS.email];
  if (email !== undefined && !EMAIL.test(email))
    return invalid(`The "${INPUT_FIELDS.email}" input is not an e-mail address.`);
  const rawPhone = inputs[INPUT_FIELDS.phone];
  // HubSpot phone properties are free text; keep the digits and the leading plus.
  const phone = rawPhone?.replace(/[\s().-]/g, '');
  if (phone !== undefined && !E164.test(phone))
    return invalid(`The "${INPUT_FIELDS.phone}" input is not an E.164 number like +14155550100.`);

  const contacts: Record<string, string> = {};
  if (email !== undefined) contacts.email = email;
  if (phone !== undefined) {
    contacts.sms = phone;
    contacts.whatsapp = phone;
  }

  const template = inputs[INPUT_FIELDS.template] ?? AUTO_TEMPLATE;
  // The workflow's choices travel as core's per-event notify choice: the planner uses that
  // template and only that channel for the customer, still subject to consent and compliance.
  const notify = {
    ...(template !== AUTO_TEMPLATE ? { template } : {}),
    ...(channel !== 'auto' ? { channels: [channel] } : {}),
  };
  const orderRef = orderRefOf(request);
  // The tags are kept for tenant rules that match on what the workflow chose.
  const tags = [`hubspot-object:${request.object.objectType.toLowerCase()}`];
  if (template !== AUTO_TEMPLATE) tags.push(`tidings-template:${template}`);
  if (channel !== 'auto') tags.push(`tidings-channel:${channel}`);
  const hasContact = Object.keys(contacts).length > 0;

  return {
    ok: true,
    channel,
    template,
    event: {
      tenantId: tenantOf(request),
      source: 'hubspot',
      sourceEventId: request.callbackId,
      orderRef,
      occurredAt: options.occurredAt,
      ...status,
      recipients: hasContact ? [{ role: 'customer', contacts }] : [],
      ...(Object.keys(notify).length > 0 ? { notify } : {}),
      order: { number: orderRef, tags },
    },
  };
};
