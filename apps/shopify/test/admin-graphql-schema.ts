/**
 * @module Our GraphQL documents and variables checked against Shopify's Admin schema with
 * graphql-js: the schema is rebuilt from the introspection JSON in `shared/specs/shopify`
 * (`buildClientSchema`), documents go through `parse` + `validate` (every rule of the spec), and
 * variables through `getVariableValues`, the same coercion a server runs before executing.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema,
  type DocumentNode,
  GraphQLError,
  type GraphQLSchema,
  getVariableValues,
  type IntrospectionQuery,
  Kind,
  parse,
  validate,
} from 'graphql';

const schemas = new Map<string, GraphQLSchema>();

/** The Admin schema of `version`, built once per process (the JSON is 9 MB). */
export const loadAdminSchema = (version = '2025-01'): GraphQLSchema => {
  const cached = schemas.get(version);
  if (cached) return cached;
  const dir = process.env.TIDINGS_SHARED_DIR ?? join(import.meta.dirname, '../../../../shared');
  const json = JSON.parse(
    readFileSync(join(dir, 'specs/shopify', `admin-${version}.json`), 'utf8'),
  ) as { data: IntrospectionQuery };
  // Shopify's own schema breaks one rule graphql-js 17 enforces on schema authors (an
  // implementation field deprecated while its interface field is not, e.g.
  // Customer.hasTimelineComment), so the schema is taken as valid; documents are still checked
  // against every validation rule.
  const schema = buildClientSchema(json.data, { assumeValid: true });
  schemas.set(version, schema);
  return schema;
};

const parsed = (doc: string): DocumentNode | readonly GraphQLError[] => {
  try {
    return parse(doc);
  } catch (error) {
    if (error instanceof GraphQLError) return [error];
    throw error;
  }
};

/** Every validation error of `doc` against `schema` (empty when the document is valid). */
export const validateDocument = (schema: GraphQLSchema, doc: string): string[] => {
  const ast = parsed(doc);
  if (!('kind' in ast)) return ast.map((e) => e.message);
  return validate(schema, ast).map((e) => e.message);
};

/** Every error coercing `variables` to the variable types the (single) operation declares. */
export const validateVariables = (
  schema: GraphQLSchema,
  doc: string,
  variables: Record<string, unknown>,
): string[] => {
  const ast = parsed(doc);
  if (!('kind' in ast)) return ast.map((e) => e.message);
  const operation = ast.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION)
    return ['The document has no operation.'];
  const result = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  return result.errors ? result.errors.map((e) => e.message) : [];
};
