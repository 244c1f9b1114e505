/**
 * @module Every GraphQL document the app sends, in one place so a test validates each against
 * the Admin schema in `shared/specs/shopify` (2025-01, the version the app pins).
 */

/** Records a carrier status on a fulfillment (a status that came from elsewhere). */
export const FULFILLMENT_EVENT_CREATE = `mutation TidingsFulfillmentEvent($fulfillmentEvent: FulfillmentEventInput!) {
  fulfillmentEventCreate(fulfillmentEvent: $fulfillmentEvent) {
    fulfillmentEvent { id status happenedAt }
    userErrors { field message }
  }
}`;

/** Adds a `tidings:<status>` tag; `updatedAt` lets us recognise the `orders/updated` echo. */
export const TAGS_ADD = `mutation TidingsTagsAdd($id: ID!, $tags: [String!]!) {
  tagsAdd(id: $id, tags: $tags) {
    node { id ... on Order { updatedAt } }
    userErrors { field message }
  }
}`;

/** Removes tags we added once what they said is over (a hold released, a delay resolved). */
export const TAGS_REMOVE = `mutation TidingsTagsRemove($id: ID!, $tags: [String!]!) {
  tagsRemove(id: $id, tags: $tags) {
    node { id ... on Order { updatedAt } }
    userErrors { field message }
  }
}`;

/**
 * The order's canonical status as an order metafield (`tidings.status`,
 * `single_line_text_field`); the owner's `updatedAt` lets us recognise the `orders/updated` echo.
 */
export const METAFIELDS_SET = `mutation TidingsStatusMetafield($metafields: [MetafieldsSetInput!]!) {
  metafieldsSet(metafields: $metafields) {
    metafields { id namespace key value owner { ... on Order { id updatedAt } } }
    userErrors { field message code }
  }
}`;

/** The order a held fulfillment order belongs to (hold payloads name only the fulfillment order). */
export const FULFILLMENT_ORDER_ORDER = `query TidingsFulfillmentOrder($id: ID!) {
  fulfillmentOrder(id: $id) { id orderId }
}`;

export const DOCUMENTS = {
  FULFILLMENT_EVENT_CREATE,
  TAGS_ADD,
  TAGS_REMOVE,
  METAFIELDS_SET,
  FULFILLMENT_ORDER_ORDER,
} as const;
