/**
 * @module The JSON body a trigger author pastes into the "Notify webhook" action, with the Zendesk
 * placeholders it uses. Only ids, tags and contact points go in: Zendesk inserts placeholder values
 * into the JSON text verbatim, so free text (names, subjects) could break the JSON.
 */
import { TEMPLATE_VERSION } from './trigger-payload.ts';

export interface TemplateFields {
  /** Custom ticket field holding the order number; without it `{{ticket.external_id}}` is used. */
  orderFieldId?: string | undefined;
  /** Custom ticket field (dropdown) holding the order status value tag. */
  statusFieldId?: string | undefined;
}

/** The trigger body as an object (placeholders as strings), e.g. for the Triggers API. */
export const triggerBodyTemplate = (fields: TemplateFields = {}) => ({
  tidings: TEMPLATE_VERSION,
  ticket: {
    id: '{{ticket.id}}',
    external_id: '{{ticket.external_id}}',
    updated_at: '{{ticket.updated_at_with_timestamp}}',
    tags: '{{ticket.tags}}',
    order_number: fields.orderFieldId ? `{{ticket.ticket_field_${fields.orderFieldId}}}` : '',
    order_status: fields.statusFieldId ? `{{ticket.ticket_field_${fields.statusFieldId}}}` : '',
  },
  requester: {
    id: '{{ticket.requester.id}}',
    email: '{{ticket.requester.email}}',
    phone: '{{ticket.requester.phone}}',
    locale: '{{ticket.requester.language}}',
  },
  current_user: { id: '{{current_user.id}}' },
});

/** The trigger body as the text a trigger author pastes (two-space indented JSON). */
export const triggerBodyText = (fields: TemplateFields = {}): string =>
  JSON.stringify(triggerBodyTemplate(fields), null, 2);

/**
 * Renders placeholders the way Zendesk does for webhooks: each `{{name}}` replaced by its value as
 * plain text, verbatim, unknown ones by "" (tests use it to fill the documented template).
 */
export const renderPlaceholders = (
  template: string,
  values: Readonly<Record<string, string>>,
): string => template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_m, name: string) => values[name] ?? '');
