/**
 * @module Offline checks of our GraphQL documents and variables against Shopify's Admin schema
 * (introspection JSON in shared/specs/shopify). graphql-js is not installed in this workspace, so
 * this is a small parser for the subset our documents use (operations, variables, fields,
 * arguments, inline fragments) and a validator of fields, arguments, variable types and values.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface TypeRef {
  kind: string;
  name: string | null;
  ofType: TypeRef | null;
}
interface Field {
  name: string;
  args: { name: string; type: TypeRef }[];
  type: TypeRef;
}
interface FullType {
  kind: string;
  name: string;
  fields: Field[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}

export interface AdminSchema {
  types: Map<string, FullType>;
  query: string;
  mutation: string;
}

/** Loads `shopify/admin-<version>.json` from the shared specs. */
export const loadAdminSchema = (version = '2025-01'): AdminSchema => {
  const dir = process.env.TIDINGS_SHARED_DIR ?? join(import.meta.dirname, '../../../../shared');
  const json = JSON.parse(
    readFileSync(join(dir, 'specs/shopify', `admin-${version}.json`), 'utf8'),
  ) as {
    data: {
      __schema: { types: FullType[]; queryType: { name: string }; mutationType: { name: string } };
    };
  };
  const s = json.data.__schema;
  return {
    types: new Map(s.types.map((t) => [t.name, t])),
    query: s.queryType.name,
    mutation: s.mutationType.name,
  };
};

const typeString = (t: TypeRef): string =>
  t.kind === 'NON_NULL' && t.ofType
    ? `${typeString(t.ofType)}!`
    : t.kind === 'LIST' && t.ofType
      ? `[${typeString(t.ofType)}]`
      : (t.name ?? '?');

const named = (t: TypeRef): string => (t.ofType ? named(t.ofType) : (t.name ?? '?'));

// ── A tiny parser ────────────────────────────────────────────────────────────────────────────

interface Selection {
  field?: { name: string; args: Record<string, string>; selections: Selection[] };
  fragment?: { on: string; selections: Selection[] };
}
interface Operation {
  kind: 'query' | 'mutation';
  name: string;
  variables: Record<string, string>;
  selections: Selection[];
}

const tokenize = (doc: string): string[] =>
  doc.match(/\.\.\.|[{}():!$[\],]|"[^"]*"|[A-Za-z_][A-Za-z0-9_]*|-?\d+(?:\.\d+)?/g) ?? [];

export const parseOperation = (doc: string): Operation => {
  const t = tokenize(doc);
  let i = 0;
  const next = (): string => {
    const v = t[i++];
    if (v === undefined) throw new Error('unexpected end of document');
    return v;
  };
  const expect = (v: string) => {
    const got = next();
    if (got !== v) throw new Error(`expected ${v}, got ${got}`);
  };
  const typeRef = (): string => {
    const v = next();
    let out: string;
    if (v === '[') {
      out = `[${typeRef()}]`;
      expect(']');
    } else out = v;
    if (t[i] === '!') {
      i++;
      out += '!';
    }
    return out;
  };
  const selectionSet = (): Selection[] => {
    expect('{');
    const out: Selection[] = [];
    while (t[i] !== '}') {
      if (t[i] === '...') {
        i++;
        expect('on');
        const on = next();
        out.push({ fragment: { on, selections: selectionSet() } });
        continue;
      }
      const name = next();
      const args: Record<string, string> = {};
      if (t[i] === '(') {
        i++;
        while (t[i] !== ')') {
          const arg = next();
          expect(':');
          const v = next();
          args[arg] = v === '$' ? `$${next()}` : v;
          if (t[i] === ',') i++;
        }
        i++;
      }
      out.push({ field: { name, args, selections: t[i] === '{' ? selectionSet() : [] } });
    }
    i++;
    return out;
  };
  const kind = next();
  if (kind !== 'query' && kind !== 'mutation') throw new Error(`unsupported operation ${kind}`);
  const name = next();
  const variables: Record<string, string> = {};
  if (t[i] === '(') {
    i++;
    while (t[i] !== ')') {
      expect('$');
      const v = next();
      expect(':');
      variables[v] = typeRef();
      if (t[i] === ',') i++;
    }
    i++;
  }
  return { kind, name, variables, selections: selectionSet() };
};

// ── Validation ───────────────────────────────────────────────────────────────────────────────

/** Every problem with `doc` against the schema; empty when it validates. */
export const validateDocument = (schema: AdminSchema, doc: string): string[] => {
  const problems: string[] = [];
  const op = parseOperation(doc);
  const used = new Set<string>();
  const walk = (typeName: string, selections: Selection[], path: string) => {
    const type = schema.types.get(typeName);
    if (!type) return problems.push(`${path}: unknown type ${typeName}`);
    for (const s of selections) {
      if (s.fragment) {
        const target = schema.types.get(s.fragment.on);
        const possible =
          s.fragment.on === typeName ||
          (type.possibleTypes ?? []).some((p) => p.name === s.fragment?.on) ||
          (target?.kind === 'OBJECT' &&
            type.kind === 'INTERFACE' &&
            (type.possibleTypes ?? []).length === 0);
        if (!target || !possible)
          problems.push(`${path}: ... on ${s.fragment.on} is not possible on ${typeName}`);
        else walk(s.fragment.on, s.fragment.selections, `${path}(on ${s.fragment.on})`);
        continue;
      }
      const f = s.field;
      if (!f) continue;
      const field = (type.fields ?? []).find((x) => x.name === f.name);
      const at = `${path}.${f.name}`;
      if (!field) {
        problems.push(`${at}: no field ${f.name} on ${typeName}`);
        continue;
      }
      for (const [arg, value] of Object.entries(f.args)) {
        const def = field.args.find((a) => a.name === arg);
        if (!def) problems.push(`${at}: no argument ${arg}`);
        else if (value.startsWith('$')) {
          const v = value.slice(1);
          used.add(v);
          const declared = op.variables[v];
          if (!declared) problems.push(`${at}: $${v} is not declared`);
          else if (
            declared !== typeString(def.type) &&
            `${declared}` !== `${typeString(def.type)}!`
          )
            problems.push(
              `${at}: $${v} is ${declared}, argument ${arg} wants ${typeString(def.type)}`,
            );
        }
      }
      for (const a of field.args)
        if (a.type.kind === 'NON_NULL' && !(a.name in f.args))
          problems.push(`${at}: missing required argument ${a.name}`);
      const inner = schema.types.get(named(field.type));
      const composite =
        inner?.kind === 'OBJECT' || inner?.kind === 'INTERFACE' || inner?.kind === 'UNION';
      if (composite && f.selections.length === 0)
        problems.push(`${at}: ${named(field.type)} needs a selection`);
      if (!composite && f.selections.length > 0)
        problems.push(`${at}: ${named(field.type)} is a leaf`);
      if (composite) walk(named(field.type), f.selections, at);
    }
    return undefined;
  };
  walk(op.kind === 'mutation' ? schema.mutation : schema.query, op.selections, op.name);
  for (const v of Object.keys(op.variables))
    if (!used.has(v)) problems.push(`$${v} is declared but not used`);
  return problems;
};

/** Every problem with `value` as an input of GraphQL type `type` (e.g. `FulfillmentEventInput!`). */
export const validateValue = (
  schema: AdminSchema,
  type: string,
  value: unknown,
  path = '$',
): string[] => {
  if (type.endsWith('!')) {
    if (value === null || value === undefined) return [`${path}: required`];
    return validateValue(schema, type.slice(0, -1), value, path);
  }
  if (value === null || value === undefined) return [];
  if (type.startsWith('[')) {
    if (!Array.isArray(value)) return [`${path}: expected a list`];
    return value.flatMap((v, i) => validateValue(schema, type.slice(1, -1), v, `${path}[${i}]`));
  }
  const t = schema.types.get(type);
  if (!t) return [`${path}: unknown type ${type}`];
  if (t.kind === 'ENUM')
    return (t.enumValues ?? []).some((e) => e.name === value)
      ? []
      : [`${path}: ${String(value)} is not a ${type}`];
  if (t.kind === 'INPUT_OBJECT') {
    if (typeof value !== 'object' || Array.isArray(value)) return [`${path}: expected ${type}`];
    const fields = t.inputFields ?? [];
    const out: string[] = [];
    for (const key of Object.keys(value))
      if (!fields.some((f) => f.name === key)) out.push(`${path}.${key}: not in ${type}`);
    for (const f of fields)
      out.push(
        ...validateValue(
          schema,
          typeString(f.type),
          (value as Record<string, unknown>)[f.name],
          `${path}.${f.name}`,
        ),
      );
    return out;
  }
  if (type === 'Int' || type === 'Float')
    return typeof value === 'number' ? [] : [`${path}: expected ${type}`];
  if (type === 'Boolean') return typeof value === 'boolean' ? [] : [`${path}: expected Boolean`];
  return typeof value === 'string' ? [] : [`${path}: expected ${type} as a string`];
};

/** Checks a document's variables against its declared types. */
export const validateVariables = (
  schema: AdminSchema,
  doc: string,
  variables: Record<string, unknown>,
): string[] => {
  const op = parseOperation(doc);
  return [
    ...Object.entries(op.variables).flatMap(([name, type]) =>
      validateValue(schema, type, variables[name], `$${name}`),
    ),
    ...Object.keys(variables)
      .filter((v) => !(v in op.variables))
      .map((v) => `$${v}: not declared`),
  ];
};
