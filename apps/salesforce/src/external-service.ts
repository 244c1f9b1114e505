/**
 * @module The OpenAPI 3.0 document of `POST /salesforce/events` that Salesforce External Services
 * registers, so a Flow can call Tidings with no Apex, and the `ExternalServiceRegistration`
 * metadata that carries it. Inside External Services' documented limits (Salesforce Help:
 * "System Limits", "Schema Definitions", "Naming and Description Conventions"): OpenAPI 3.0 JSON
 * far under 10,000,000 characters, one POST operation named by its `operationId`, object and
 * property names that are valid Apex identifiers (not reserved words), descriptions under 1,333
 * characters, no arrays of arrays (List<List<T>> cannot be a Flow variable), no response headers,
 * and no security scheme (ignored; the Named Credential signs each call). `oneOf`/`anyOf`/`allOf`
 * and `additionalProperties` maps are supported there but unused, so Flow sees plain Apex types.
 */

const eventSchema = {
  type: 'object',
  required: ['orderId', 'orderNumber', 'status', 'lastModifiedDate'],
  properties: {
    orderId: { type: 'string', description: 'Order.Id' },
    orderNumber: { type: 'string', description: 'Order.OrderNumber' },
    status: { type: 'string', description: 'Order.Status API name' },
    statusCode: { type: 'string', description: 'Order.StatusCode (Draft or Activated)' },
    previousStatus: { type: 'string', description: 'Order.Status API name before the change' },
    lastModifiedDate: {
      type: 'string',
      format: 'date-time',
      description: 'Order.LastModifiedDate',
    },
    template: { type: 'string', description: 'Template key; rules match it as tag template:<key>' },
    channel: {
      type: 'string',
      description:
        'Channel override: sms, whatsapp, email, push, intercom, klaviyo, activecampaign',
    },
    customer: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        email: { type: 'string' },
        phone: { type: 'string', description: 'E.164, e.g. +14155550100' },
        locale: { type: 'string', description: 'BCP 47, e.g. fr-CA' },
      },
    },
  },
} as const;

const resultSchema = {
  type: 'object',
  required: ['outcome', 'reason', 'messageIds', 'messageId'],
  properties: {
    orderId: { type: 'string' },
    outcome: {
      type: 'string',
      description: 'notified, not_notified, duplicate or rejected',
    },
    reason: { type: 'string' },
    eventId: { type: 'string', description: 'orderId:status:lastModifiedDate' },
    // A flat list of strings (Apex List<String>): External Services only refuses nested anonymous
    // arrays, and null is an ordinary Apex String value (OpenAPI 3.0 spells it `nullable`).
    messageIds: {
      type: 'array',
      items: { type: 'string' },
      description: 'Every message Tidings planned for this event (its intent ids); empty if none',
    },
    messageId: {
      type: 'string',
      nullable: true,
      description: 'The first customer message, else the first message; null if none',
    },
    detail: { type: 'string' },
  },
} as const;

const errorSchema = {
  type: 'object',
  properties: {
    error: {
      type: 'object',
      properties: {
        code: { type: 'string' },
        message: { type: 'string' },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

/** The OpenAPI 3.0.3 document External Services registers. */
export const salesforceOpenApi = {
  openapi: '3.0.3',
  info: {
    title: 'Tidings for Salesforce',
    version: '1.0.0',
    description:
      'Tell Tidings an Order changed status. Calls go through the Tidings Named Credential, whose External Credential signs the body (X-Tidings-Signature).',
  },
  servers: [{ url: 'https://tidings.example.com' }],
  paths: {
    '/salesforce/events': {
      post: {
        operationId: 'sendOrderEvents',
        summary: 'Send order status events',
        description:
          'One result per event, in order. sentAt must be within 5 minutes of the service clock.',
        requestBody: {
          required: true,
          content: {
            'application/json': { schema: { $ref: '#/components/schemas/EventsRequest' } },
          },
        },
        responses: {
          '200': {
            description: 'One result per event',
            content: {
              'application/json': { schema: { $ref: '#/components/schemas/EventsResponse' } },
            },
          },
          '400': errorResponse('malformed_json or malformed_body'),
          '401': errorResponse('missing_signature, bad_signature, stale_request or unknown_org'),
          '403': errorResponse('unknown_tenant or tenant_inactive'),
          '409': errorResponse('replayed_request'),
          '413': errorResponse('payload_too_large'),
          '422': errorResponse('invalid_request'),
          '503': errorResponse('store_unavailable; retry later'),
        },
      },
    },
  },
  components: {
    schemas: {
      EventsRequest: {
        type: 'object',
        required: ['orgId', 'sentAt', 'events'],
        properties: {
          orgId: { type: 'string', description: 'The org id (15 or 18 characters)' },
          sentAt: {
            type: 'string',
            format: 'date-time',
            description: 'Now, as an ISO 8601 instant',
          },
          events: {
            type: 'array',
            minItems: 1,
            maxItems: 200,
            items: { $ref: '#/components/schemas/OrderEvent' },
          },
        },
      },
      OrderEvent: eventSchema,
      EventsResponse: {
        type: 'object',
        required: ['results'],
        properties: {
          results: { type: 'array', items: { $ref: '#/components/schemas/EventResult' } },
        },
      },
      EventResult: resultSchema,
      Error: errorSchema,
    },
  },
} as const;

const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The `ExternalServiceRegistration` metadata that registers the document on the Tidings credential. */
export const externalServiceRegistrationXml = (): string => `<?xml version="1.0" encoding="UTF-8"?>
<ExternalServiceRegistration xmlns="http://soap.sforce.com/2006/04/metadata">
    <description>Tidings order-status notifications, callable from Flow with no Apex.</description>
    <label>Tidings</label>
    <namedCredentialReference>Tidings</namedCredentialReference>
    <registrationProviderType>Custom</registrationProviderType>
    <schema>${escapeXml(`${JSON.stringify(salesforceOpenApi, null, 2)}\n`)}</schema>
    <schemaType>OpenApi3</schemaType>
    <serviceBinding>{"compatibleMediaTypes":{}}</serviceBinding>
    <status>Complete</status>
</ExternalServiceRegistration>
`;

export const OPENAPI_PATH = 'openapi/tidings-salesforce.openapi.json';
export const REGISTRATION_PATH =
  'force-app/main/default/externalServiceRegistrations/Tidings.externalServiceRegistration-meta.xml';
