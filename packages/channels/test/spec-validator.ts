/**
 * @module Validates a request an adapter built against the provider's own OpenAPI file with
 * openapi-backend (Ajv underneath). Each spec file is loaded once per test file and cached.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import addFormats from 'ajv-formats';
import * as openapiBackend from 'openapi-backend';
import * as swagger2openapi from 'swagger2openapi';
import { parse as parseYaml } from 'yaml';
import type { RecordedRequest } from './recording-fetch.ts';
import { specsDir } from './shared-dir.ts';

// openapi-backend is CommonJS: vitest exposes its named exports, plain Node only its default.
const interop = openapiBackend as typeof openapiBackend & { default?: typeof openapiBackend };
const OpenAPIBackend = interop.OpenAPIBackend ?? interop.default?.OpenAPIBackend;
type Backend = InstanceType<typeof openapiBackend.OpenAPIBackend>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A deviation between spec and live API that the reference documents, with the reason. */
export interface KnownDeviation {
  /** Apply before validation: e.g. map `Authorization: Bearer` onto Slack's modelled `token` header. */
  rewrite: (request: NormalizedRequest) => NormalizedRequest;
  why: string;
}

/**
 * A correction to a spec defect that would reject every real request, applied to the parsed
 * document before validation; `why` names the defect. Request-side deviations use `KnownDeviation`.
 */
export interface SpecPatch {
  why: string;
  apply: (doc: { [key: string]: unknown }) => void;
}

export interface NormalizedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
}

export interface SpecValidator {
  readonly file: string;
  /** Returns every way `request` departs from `operationId` in the spec; empty means valid. */
  validate(operationId: string, request: RecordedRequest, deviations?: KnownDeviation[]): string[];
}

// openapi-backend compiles body validators only for these; `+json` types are JSON too (RFC 6839).
const BODY_TYPES_VALIDATED = [
  'application/json',
  'multipart/form-data',
  'application/x-www-form-urlencoded',
];

/**
 * Exposes `application/*+json` bodies (Klaviyo's JSON:API) to the validator as the JSON they are,
 * and returns the media types each operation itself declares. Runs on the dereferenced operations
 * before any validator is compiled (quick mode compiles lazily).
 */
const declareBodies = (api: Backend): Map<string, string[]> => {
  const declared = new Map<string, string[]>();
  for (const op of api.getOperations()) {
    const body = op.requestBody as { content?: Record<string, unknown> } | undefined;
    const content = body?.content;
    if (op.operationId === undefined || content === undefined) continue;
    declared.set(op.operationId, Object.keys(content));
    if (BODY_TYPES_VALIDATED.some((t) => t in content)) continue;
    const suffixed = Object.keys(content).find((t) => /^application\/[\w.+-]+\+json$/.test(t));
    if (suffixed !== undefined) content['application/json'] = content[suffixed];
  }
  return declared;
};

/**
 * OpenAPI 3.0 lets `nullable: true` sit beside `oneOf`/`anyOf` with no `type` (Klaviyo does);
 * Ajv refuses to compile that. The meaning is "or null", so say exactly that.
 */
const normalizeTypelessNullable = (node: unknown): void => {
  if (Array.isArray(node)) {
    for (const item of node) normalizeTypelessNullable(item);
    return;
  }
  if (!isObject(node)) return;
  if (node.nullable === true && node.type === undefined) {
    delete node.nullable;
    for (const key of ['oneOf', 'anyOf'] as const) {
      const list = node[key];
      if (Array.isArray(list)) list.push({ type: 'null' });
    }
  }
  for (const value of Object.values(node)) normalizeTypelessNullable(value);
};

const loadDocument = async (file: string, patches: readonly SpecPatch[]): Promise<JsonObject> => {
  const text = await readFile(resolve(specsDir(), file), 'utf8');
  let doc = (file.endsWith('.json') ? JSON.parse(text) : parseYaml(text)) as JsonObject;
  if (doc.swagger === '2.0') {
    const converted = await swagger2openapi.convertObj(doc, { patch: true, warnOnly: true });
    doc = converted.openapi as JsonObject;
  }
  normalizeTypelessNullable(doc);
  for (const patch of patches) patch.apply(doc);
  return doc;
};

/**
 * Formats the vendors define themselves. Twilio's `phone-number` takes E.164, a channel address
 * (`whatsapp:+1…`) or an alphanumeric sender id (twilio-oai's description of To/From).
 */
const VENDOR_FORMATS: ReadonlyArray<[string, RegExp]> = [
  ['phone-number', /^(\+[1-9]\d{1,14}|[a-z]+:.+|[A-Za-z0-9 ]{1,11})$/],
];

const cache = new Map<string, Promise<SpecValidator>>();

/** Loads (once per test file) and returns the validator for a spec file under `shared/specs`. */
export const loadSpec = (
  file: string,
  patches: readonly SpecPatch[] = [],
): Promise<SpecValidator> => {
  const cached = cache.get(file);
  if (cached !== undefined) return cached;
  const pending = build(file, patches);
  cache.set(file, pending);
  return pending;
};

const build = async (file: string, patches: readonly SpecPatch[]): Promise<SpecValidator> => {
  const doc = await loadDocument(file, patches);
  // `quick` compiles each operation's validators on first use: specs here hold hundreds.
  const api: Backend = new OpenAPIBackend({
    definition: doc as never,
    quick: true,
    strict: true,
    customizeAjv: (ajv) => {
      // Real format checks (email, uri, date-time, uuid…), so a malformed address fails too.
      addFormats(ajv);
      for (const [name, pattern] of VENDOR_FORMATS) ajv.addFormat(name, pattern);
      return ajv;
    },
  });
  await api.init();
  const declared = declareBodies(api);
  const servers = (Array.isArray(doc.servers) ? doc.servers : [])
    .filter(isObject)
    .map((s) => String(s.url).replace(/\/$/, ''));
  const securitySchemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : {};
  const globalSecurity = Array.isArray(doc.security) ? doc.security : [];

  return {
    file,
    validate(operationId, recorded, deviations = []) {
      const errors: string[] = [];
      const operation = api.getOperation(operationId);
      if (operation === undefined) return [`${file} has no operation ${operationId}`];
      const url = new URL(recorded.url);
      const server = servers.find((s) => recorded.url.startsWith(`${s}/`));
      if (server === undefined) {
        errors.push(`${url.origin} is not a server of ${file} (${servers.join(', ')})`);
        return errors;
      }
      const basePath = new URL(server).pathname.replace(/\/$/, '');
      const headers = Object.fromEntries(
        Object.entries(recorded.headers).map(([k, v]) => [k.toLowerCase(), v]),
      );
      const mediaType = (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      let request: NormalizedRequest = {
        method: recorded.method.toLowerCase(),
        path: url.pathname.slice(basePath.length),
        query: Object.fromEntries(url.searchParams.entries()),
        headers,
        body: parseBody(mediaType, recorded.body, operation),
      };
      for (const deviation of deviations) request = deviation.rewrite(request);

      if (request.method !== operation.method) {
        errors.push(`method ${request.method} but ${operationId} is ${operation.method}`);
      }
      const matched = api.router.matchOperation({
        method: request.method,
        path: request.path,
        headers: request.headers,
      });
      if (matched?.operationId !== operationId) {
        errors.push(
          `path ${request.path} does not route to ${operationId} (got ${matched?.operationId ?? 'nothing'})`,
        );
      }
      const mediaTypes = declared.get(operationId) ?? [];
      if (recorded.body !== undefined && !mediaTypes.includes(mediaType)) {
        errors.push(`content-type ${mediaType || '(none)'} is not one of ${mediaTypes.join(', ')}`);
      }
      errors.push(
        ...checkSecurity(operation.security ?? globalSecurity, securitySchemes, request.headers),
      );
      const result = api.validateRequest(
        {
          method: request.method,
          path: request.path,
          query: request.query,
          headers: request.headers,
          body: request.body as never,
        },
        operationId,
      );
      for (const e of result.errors ?? []) {
        errors.push(
          `${e.instancePath || '/'} ${e.message ?? e.keyword}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
        );
      }
      return errors;
    },
  };
};

/** Form fields arrive as strings; give the validator the types the body schema declares. */
const parseBody = (mediaType: string, body: string | undefined, operation: unknown): unknown => {
  if (body === undefined) return undefined;
  if (mediaType === 'application/x-www-form-urlencoded') {
    const fields: Record<string, unknown> = {};
    const schema = formSchema(operation);
    for (const [name, value] of new URLSearchParams(body).entries()) {
      const type = schema?.[name];
      const typed = coerceFormValue(value, type?.type === 'array' ? type.items?.type : type?.type);
      if (type?.type === 'array') {
        const list = Array.isArray(fields[name]) ? (fields[name] as unknown[]) : [];
        fields[name] = [...list, typed];
      } else {
        fields[name] = typed;
      }
    }
    return fields;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

interface PropertyType {
  type?: string;
  items?: { type?: string };
}

const formSchema = (operation: unknown): Record<string, PropertyType> | undefined => {
  const op = operation as {
    requestBody?: {
      content?: Record<string, { schema?: { properties?: Record<string, PropertyType> } }>;
    };
  };
  return op.requestBody?.content?.['application/x-www-form-urlencoded']?.schema?.properties;
};

const coerceFormValue = (value: string, type: string | undefined): unknown => {
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  if ((type === 'integer' || type === 'number') && /^-?\d+(\.\d+)?$/.test(value))
    return Number(value);
  return value;
};

/** openapi-backend leaves auth to handlers, so check the schemes the operation names here. */
const checkSecurity = (
  requirements: unknown[],
  schemes: JsonObject,
  headers: Record<string, string>,
): string[] => {
  if (requirements.length === 0) return [];
  const failures: string[] = [];
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    const problems: string[] = [];
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      if (!isObject(scheme)) {
        problems.push(`unknown security scheme ${name}`);
        continue;
      }
      const auth = headers.authorization ?? '';
      if (scheme.type === 'http' && typeof scheme.scheme === 'string') {
        const prefix = `${scheme.scheme.toLowerCase()} `;
        if (!auth.toLowerCase().startsWith(prefix) || auth.length <= prefix.length) {
          problems.push(`${name}: Authorization must be "${scheme.scheme} <credentials>"`);
        }
      } else if (
        scheme.type === 'apiKey' &&
        scheme.in === 'header' &&
        typeof scheme.name === 'string'
      ) {
        if ((headers[scheme.name.toLowerCase()] ?? '') === '')
          problems.push(`${name}: header ${scheme.name} missing`);
      }
    }
    if (problems.length === 0) return [];
    failures.push(...problems);
  }
  return failures;
};
