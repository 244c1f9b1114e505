/**
 * @module A sandboxed liquidjs engine: templates come only from registered strings (never the file
 * system), no prototype access, no globals, strict filters and variables, and bounded parse size,
 * render time, allocations and output. Failures become stable error codes.
 */
import { type FilterImplOptions, type FS, Liquid, type Template } from 'liquidjs';

/** The stable codes a template failure is reported with. */
export const TEMPLATE_ERROR_CODES = [
  'template_not_found',
  'template_error',
  'render_limit',
  'output_too_large',
] as const;
export type TemplateErrorCode = (typeof TEMPLATE_ERROR_CODES)[number];

export interface TemplateError {
  code: TemplateErrorCode;
  message: string;
}

export interface SandboxLimits {
  /** Characters of Liquid source one `parse` may take. */
  parseChars: number;
  /** Wall-clock milliseconds one render may take (checked between nodes by liquidjs). */
  renderMs: number;
  /** liquidjs allocation units (range sizes, array and string building) per render. */
  memory: number;
  /** Characters one rendered part may have; checked by us after render. */
  outputChars: number;
}

/**
 * Generous for notification copy (the largest default e-mail is a few kilobytes), tight enough
 * that a hostile tenant template cannot hold a dispatcher worker or its memory.
 */
export const SANDBOX_LIMITS: SandboxLimits = {
  parseChars: 100_000,
  renderMs: 200,
  memory: 1_000_000,
  outputChars: 65_536,
};

/**
 * Property names no template may name: with `ownPropertyOnly` they already read as undefined, but
 * rejecting them at parse time gives tenants a clear error instead of a blank.
 */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
]);

/**
 * An in-memory file system over registered partials. liquidjs' Node build imports `fs` and
 * `path`; giving it this `fs` (and `relativeReference: false`) means it never calls them, and a
 * `Map` (not a plain object) means `{% include 'constructor' %}` finds nothing.
 */
const memoryFs = (files: ReadonlyMap<string, string>): FS => {
  const read = (file: string): string => {
    const source = files.get(file);
    if (source === undefined) throw new Error(`ENOENT: no registered template named "${file}"`);
    return source;
  };
  return {
    exists: (file) => Promise.resolve(files.has(file)),
    existsSync: (file) => files.has(file),
    readFile: (file) => Promise.resolve().then(() => read(file)),
    readFileSync: read,
    // Names are flat keys, so the directory liquidjs resolves against is ignored.
    resolve: (_dir, file, ext) => file + ext,
    contains: () => Promise.resolve(true),
    containsSync: () => true,
    sep: '/',
  };
};

export interface SandboxOptions {
  /** Templates `{% include %}`, `{% render %}` and `{% layout %}` may name; nothing else exists. */
  partials?: Record<string, string>;
  /** HTML output: every `{{ }}` is HTML-escaped unless piped through `raw`. */
  html?: boolean;
  filters?: Record<string, FilterImplOptions>;
  limits?: Partial<SandboxLimits>;
}

export interface LiquidSandbox {
  liquid: Liquid;
  limits: SandboxLimits;
}

/** Creates a sandboxed liquidjs engine with the given registered partials and filters. */
export const createLiquidSandbox = (options: SandboxOptions = {}): LiquidSandbox => {
  const limits = { ...SANDBOX_LIMITS, ...options.limits };
  const liquid = new Liquid({
    fs: memoryFs(new Map(Object.entries(options.partials ?? {}))),
    root: ['.'],
    relativeReference: false,
    extname: '',
    cache: true,
    ownPropertyOnly: true,
    strictFilters: true,
    // Every documented variable is always present (null when unknown), so an undefined one is a
    // typo or a probe (`x.constructor`): fail loudly. `lenientIf` keeps `{% if x %}` and
    // `| default` usable for optional extras.
    strictVariables: true,
    lenientIf: true,
    globals: {},
    // The built-in `date` filter must not depend on the host's zone or locale.
    timezoneOffset: 0,
    locale: 'en-US',
    parseLimit: limits.parseChars,
    renderLimit: limits.renderMs,
    memoryLimit: limits.memory,
    ...(options.html === true ? { outputEscape: 'escape' as const } : {}),
  });
  const builtinDate = liquid.filters.date;
  // `{{ 'now' | date }}` would read the wall clock; core is deterministic, so refuse it.
  liquid.registerFilter('date', function date(value: unknown, ...args: unknown[]) {
    if (typeof value === 'string' && /^\s*(now|today)\s*$/i.test(value)) {
      throw new Error('the date filter cannot read the clock; use a date from the context');
    }
    if (builtinDate === undefined) return value;
    const handler = typeof builtinDate === 'function' ? builtinDate : builtinDate.handler;
    return handler.call(this, value, ...args);
  });
  for (const [name, filter] of Object.entries(options.filters ?? {})) {
    liquid.registerFilter(name, filter);
  }
  return { liquid, limits };
};

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Every message in the error's `originalError` chain, outermost first. */
const messageChain = (err: unknown): string[] => {
  const messages: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 8; depth += 1) {
    messages.push(messageOf(current));
    current =
      typeof current === 'object' && 'originalError' in current
        ? (current as { originalError?: unknown }).originalError
        : undefined;
  }
  return messages;
};

/** Maps a liquidjs failure to a stable code; the message is its first line (names, no values). */
export const classifyLiquidError = (err: unknown): TemplateError => {
  const chain = messageChain(err);
  const all = chain.join('\n');
  const message = (chain[0] ?? 'template failed').split('\n')[0] ?? 'template failed';
  if (/ENOENT/.test(all)) return { code: 'template_not_found', message };
  if (/(memory alloc|template render) limit exceeded/.test(all)) {
    return { code: 'render_limit', message };
  }
  return { code: 'template_error', message };
};

export type ParseResult = { ok: true; templates: Template[] } | { ok: false; error: TemplateError };

/** Parses Liquid source in the sandbox, rejecting prototype probes before anything renders. */
export const parseTemplate = (sandbox: LiquidSandbox, source: string): ParseResult => {
  let templates: Template[];
  try {
    templates = sandbox.liquid.parse(source);
  } catch (err) {
    return { ok: false, error: classifyLiquidError(err) };
  }
  try {
    for (const segments of sandbox.liquid.variableSegmentsSync(templates, { partials: false })) {
      for (const segment of segments) {
        if (typeof segment === 'string' && FORBIDDEN_SEGMENTS.has(segment)) {
          return {
            ok: false,
            error: { code: 'template_error', message: `templates may not read "${segment}"` },
          };
        }
      }
    }
  } catch (err) {
    return { ok: false, error: classifyLiquidError(err) };
  }
  return { ok: true, templates };
};

export type RenderPartResult = { ok: true; output: string } | { ok: false; error: TemplateError };

/** Renders parsed templates against `scope`, with per-render `globals`, and caps the output. */
export const renderParsed = (
  sandbox: LiquidSandbox,
  templates: Template[],
  scope: object,
  globals: object,
  maxChars: number = sandbox.limits.outputChars,
): RenderPartResult => {
  let output: unknown;
  try {
    output = sandbox.liquid.renderSync(templates, scope, { globals });
  } catch (err) {
    return { ok: false, error: classifyLiquidError(err) };
  }
  const text = typeof output === 'string' ? output : String(output);
  if (text.length > maxChars) {
    return {
      ok: false,
      error: {
        code: 'output_too_large',
        message: `rendered ${text.length} characters; the limit is ${maxChars}`,
      },
    };
  }
  return { ok: true, output: text };
};
