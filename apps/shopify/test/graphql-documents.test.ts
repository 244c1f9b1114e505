import { describe, expect, it } from 'vitest';
import {
  DOCUMENTS,
  FULFILLMENT_EVENT_CREATE,
  METAFIELDS_SET,
  TAGS_ADD,
  TAGS_REMOVE,
} from '../src/graphql-documents.ts';
import { FULFILLMENT_EVENT_STATUS, STATUS_METAFIELD } from '../src/shopify-write-back.ts';
import { loadAdminSchema, validateDocument, validateVariables } from './admin-graphql-schema.ts';

const schema = loadAdminSchema('2025-01');

describe('every GraphQL document the app sends, against the Admin schema 2025-01 (graphql-js)', () => {
  for (const [name, doc] of Object.entries(DOCUMENTS)) {
    it(`validates ${name}`, () => {
      expect(validateDocument(schema, doc)).toEqual([]);
    });
  }

  it('rejects a field, a variable type, an argument and a syntax the schema does not allow', () => {
    expect(validateDocument(schema, TAGS_ADD.replace('updatedAt', 'updatedAtt'))).toEqual([
      expect.stringContaining('Cannot query field "updatedAtt" on type "Order"'),
    ]);
    expect(
      validateDocument(schema, TAGS_REMOVE.replace('$tags: [String!]!', '$tags: String')),
    ).toEqual([
      expect.stringContaining(
        'Variable "$tags" of type "String" used in position expecting type "[String!]!"',
      ),
    ]);
    expect(
      validateDocument(
        schema,
        METAFIELDS_SET.replace(
          'metafieldsSet(metafields: $metafields)',
          'metafieldsSet(metafields: $metafields, ownerId: "1")',
        ),
      ),
    ).toEqual([expect.stringContaining('Unknown argument "ownerId"')]);
    // A selection on a union/interface member the payload does not return.
    expect(
      validateDocument(
        schema,
        METAFIELDS_SET.replace('... on Order { id updatedAt }', 'displayName'),
      ),
    ).not.toEqual([]);
    expect(validateDocument(schema, TAGS_ADD.replace('{', '('))).toEqual([
      expect.stringContaining('Syntax Error'),
    ]);
  });

  it('rejects variables the operation cannot accept: an enum value 2025-01 lacks, a missing input field', () => {
    expect(
      validateVariables(schema, FULFILLMENT_EVENT_CREATE, {
        fulfillmentEvent: {
          fulfillmentId: 'gid://shopify/Fulfillment/1',
          status: 'CARRIER_PICKED_UP',
        },
      }),
    ).toEqual([expect.stringContaining('CARRIER_PICKED_UP')]);
    expect(
      validateVariables(schema, METAFIELDS_SET, {
        metafields: [{ ...STATUS_METAFIELD, value: 'delivered' }],
      }),
    ).toEqual([expect.stringContaining('ownerId')]);
    expect(
      validateVariables(schema, TAGS_ADD, { id: 'gid://shopify/Order/1', tags: 'one' }),
    ).toEqual([]);
    expect(validateVariables(schema, TAGS_ADD, { id: 'gid://shopify/Order/1' })).toEqual([
      expect.stringContaining('"$tags"'),
    ]);
  });

  it('maps every written status to a FulfillmentEventStatus that 2025-01 has', () => {
    for (const status of Object.values(FULFILLMENT_EVENT_STATUS)) {
      expect(
        validateVariables(schema, FULFILLMENT_EVENT_CREATE, {
          fulfillmentEvent: { fulfillmentId: 'gid://shopify/Fulfillment/1', status },
        }),
      ).toEqual([]);
    }
  });
});
