/**
 * @module The offline part of Zendesk's app validator (zendesk/zendesk_apps_support, rules listed in
 * ../shared/reference/hosts.md §3.1): `zcli apps:validate` uploads the package, so CI checks the
 * same rules here. Returns every problem found, empty when the app would pass them.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

export const MANIFEST_KEYS = [
  'requirementsOnly',
  'marketingOnly',
  'version',
  'author',
  'name',
  'experiments',
  'frameworkVersion',
  'singleInstall',
  'signedUrls',
  'noTemplate',
  'defaultLocale',
  'location',
  'private',
  'oauth',
  'parameters',
  'domainWhitelist',
  'remoteInstallationURL',
  'termsConditionsURL',
  'gaID',
];
const PRODUCTS: Record<string, readonly string[]> = {
  support: [
    'top_bar',
    'nav_bar',
    'ticket_sidebar',
    'new_ticket_sidebar',
    'user_sidebar',
    'organization_sidebar',
    'background',
    'modal',
    'ticket_editor',
    'system_top_bar',
  ],
  chat: ['chat_sidebar', 'background', 'modal'],
  sell: ['top_bar', 'note_editor', 'deal_card', 'person_card', 'lead_card', 'background', 'modal'],
};
PRODUCTS.zendesk = PRODUCTS.support ?? [];
const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth'];
const SCOPES = [
  'header',
  'body',
  'url',
  'jwt_secret_key',
  'jwt_claim',
  'basic_auth_username',
  'basic_auth_password',
];
const EXPERIMENTS = ['hashParams', 'newCssCompiler'];

/** Object keys that occur twice in one JSON object (`NoOverrideHash`); JSON.parse hides them. */
export const duplicateKeys = (text: string): string[] => {
  const found: string[] = [];
  const stack: (Set<string> | null)[] = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const str = JSON.parse(text.slice(i, j + 1)) as string;
      const top = stack.at(-1);
      if (expectKey && top) {
        if (top.has(str)) found.push(str);
        top.add(str);
        expectKey = false;
      }
      i = j + 1;
      continue;
    }
    if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') stack.push(null);
    else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') expectKey = stack.at(-1) instanceof Set;
    i += 1;
  }
  return found;
};

const isHttpUrl = (v: string): boolean => {
  try {
    const u = new URL(v);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    return e.isDirectory() && !e.isSymbolicLink() ? files(path) : [path];
  });

/** Validates an app directory against the rules; `manifestText` overrides the file (tests). */
export const validateZafApp = (dir: string, manifestText?: string): string[] => {
  const problems: string[] = [];
  const text =
    manifestText ??
    (existsSync(join(dir, 'manifest.json'))
      ? readFileSync(join(dir, 'manifest.json'), 'utf8')
      : undefined);
  if (text === undefined) return ['manifest.json is missing'];
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return ['manifest.json is not valid JSON'];
  }
  if (!isObj(m)) return ['manifest.json must be an object'];
  for (const k of duplicateKeys(text)) problems.push(`duplicate key "${k}"`);
  for (const k of Object.keys(m))
    if (!MANIFEST_KEYS.includes(k)) problems.push(`unknown manifest key "${k}"`);

  for (const k of ['requirementsOnly', 'marketingOnly', 'singleInstall', 'signedUrls', 'private']) {
    if (m[k] !== undefined && typeof m[k] !== 'boolean') problems.push(`${k} must be a boolean`);
  }
  for (const k of [
    'defaultLocale',
    'version',
    'frameworkVersion',
    'remoteInstallationURL',
    'termsConditionsURL',
    'gaID',
  ]) {
    if (m[k] !== undefined && typeof m[k] !== 'string') problems.push(`${k} must be a string`);
  }
  if (m.experiments !== undefined) {
    if (!isObj(m.experiments)) problems.push('experiments must be an object');
    else
      for (const k of Object.keys(m.experiments))
        if (!EXPERIMENTS.includes(k)) problems.push(`experiment "${k}" is not allowed`);
  }
  if (
    m.domainWhitelist !== undefined &&
    (!Array.isArray(m.domainWhitelist) || !m.domainWhitelist.every((d) => typeof d === 'string'))
  ) {
    problems.push('domainWhitelist must be an array of strings');
  }

  if (!isObj(m.author)) problems.push('author is required');
  else {
    for (const k of ['name', 'email', 'url']) {
      if (m.author[k] !== undefined && typeof m.author[k] !== 'string')
        problems.push(`author.${k} must be a string`);
    }
    if (
      m.author.url !== undefined &&
      !(typeof m.author.url === 'string' && isHttpUrl(m.author.url))
    ) {
      problems.push('author.url must be an http(s) URL');
    }
  }
  const locale = m.defaultLocale;
  if (typeof locale !== 'string') problems.push('defaultLocale is required');
  else if (!/^[a-z]{2,3}(-\w{2,3})?$/.test(locale))
    problems.push(`defaultLocale "${locale}" is not a locale`);

  const appOnly = m.requirementsOnly === true || m.marketingOnly === true;
  if (!appOnly) {
    if (m.frameworkVersion === undefined) problems.push('frameworkVersion is required');
    else if (m.frameworkVersion !== '2.0') problems.push('frameworkVersion must be "2.0"');
    if (typeof m.version !== 'string' || !/^\d+(\.\d+){0,2}$/.test(m.version))
      problems.push('version must be like "1.0.0"');
    if (!isObj(m.location) || Object.keys(m.location).length === 0)
      problems.push('location is required');
  }
  if (m.noTemplate !== undefined) problems.push('noTemplate is not allowed in framework 2.0 apps');

  if (isObj(m.location)) {
    for (const [product, locations] of Object.entries(m.location)) {
      const known = PRODUCTS[product];
      if (!known) {
        problems.push(`unknown product "${product}"`);
        continue;
      }
      if (!isObj(locations)) {
        problems.push(`location.${product} must be an object`);
        continue;
      }
      for (const [name, spec] of Object.entries(locations)) {
        const where = `location.${product}.${name}`;
        if (!known.includes(name)) problems.push(`unknown location "${name}" for ${product}`);
        const url = typeof spec === 'string' ? spec : isObj(spec) ? spec.url : undefined;
        if (isObj(spec)) {
          if (spec.flexible !== undefined && typeof spec.flexible !== 'boolean')
            problems.push(`${where}.flexible must be a boolean`);
          if (spec.autoLoad !== false && url === undefined) problems.push(`${where} needs a url`);
        } else if (typeof spec !== 'string') problems.push(`${where} must be a url or an object`);
        if (typeof url === 'string') {
          if (url.includes('{{setting.')) continue;
          if (/^[a-z]+:/i.test(url)) {
            const u = new URL(url);
            if (u.protocol !== 'https:' && u.hostname !== 'localhost')
              problems.push(`${where}: absolute urls must be https`);
          } else if (!url.startsWith('assets/'))
            problems.push(`${where}: relative urls must start with assets/`);
          else if (!existsSync(join(dir, url)))
            problems.push(`${where}: ${url} is not in the package`);
        } else if (url !== undefined) problems.push(`${where}.url must be a string`);
      }
    }
  }

  const parameters = m.parameters;
  const names: string[] = [];
  if (parameters !== undefined && !Array.isArray(parameters))
    problems.push('parameters must be an array');
  for (const p of Array.isArray(parameters) ? parameters : []) {
    if (!isObj(p) || typeof p.name !== 'string') {
      problems.push('each parameter needs a name');
      continue;
    }
    if (names.includes(p.name)) problems.push(`duplicate parameter "${p.name}"`);
    if (p.name === 'name') problems.push('"name" cannot be a parameter name');
    names.push(p.name);
    const type = p.type ?? 'text';
    if (typeof type !== 'string' || !PARAMETER_TYPES.includes(type))
      problems.push(`parameter ${p.name}: invalid type`);
    if (type === 'hidden' && p.required === true)
      problems.push(`parameter ${p.name}: hidden parameters cannot be required`);
    if (type === 'oauth' && p.secure === true)
      problems.push(`parameter ${p.name}: oauth parameters cannot be secure`);
    if (p.scopes !== undefined) {
      if (p.secure !== true) problems.push(`parameter ${p.name}: scopes need secure: true`);
      if (
        !Array.isArray(p.scopes) ||
        !p.scopes.every((s) => typeof s === 'string' && SCOPES.includes(s))
      ) {
        problems.push(`parameter ${p.name}: scopes must be among ${SCOPES.join(', ')}`);
      }
    }
  }
  const oauthParams = (Array.isArray(parameters) ? parameters : []).filter(
    (p) => isObj(p) && p.type === 'oauth',
  );
  if (oauthParams.length > 1) problems.push('at most one oauth parameter');
  if (m.oauth !== undefined) {
    const o = isObj(m.oauth) ? m.oauth : {};
    for (const k of ['client_id', 'client_secret', 'authorize_uri', 'access_token_uri']) {
      if (typeof o[k] !== 'string') problems.push(`oauth.${k} is required`);
    }
    if (oauthParams.length === 0) problems.push('oauth needs an oauth-type parameter');
  }

  if (typeof locale === 'string') {
    const path = join(dir, 'translations', `${locale}.json`);
    if (!existsSync(path))
      problems.push(`translations/${locale}.json is missing (missing_translation_file)`);
    else {
      let t: unknown;
      try {
        t = JSON.parse(readFileSync(path, 'utf8'));
      } catch {
        problems.push(`translations/${locale}.json is not valid JSON`);
      }
      const app = isObj(t) && isObj(t.app) ? t.app : undefined;
      if (!app || typeof app.name !== 'string')
        problems.push(`translations/${locale}.json needs app.name`);
      if (app && m.private === false) {
        if (typeof app.short_description !== 'string' && typeof app.description !== 'string')
          problems.push('public apps need app.short_description');
        for (const k of ['long_description', 'installation_instructions'])
          if (typeof app[k] !== 'string') problems.push(`public apps need app.${k}`);
      }
      const params = app && isObj(app.parameters) ? app.parameters : {};
      for (const [p, v] of Object.entries(params))
        if (!isObj(v) || typeof v.label !== 'string')
          problems.push(`app.parameters.${p} needs a label`);
      for (const n of names)
        if (!isObj(params[n])) problems.push(`app.parameters.${n} needs a label`);
    }
  }
  for (const f of existsSync(dir) ? files(dir) : []) {
    if (lstatSync(f).isSymbolicLink()) problems.push(`${relative(dir, f)} is a symlink`);
  }
  return problems;
};
