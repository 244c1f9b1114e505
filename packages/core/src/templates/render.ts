/**
 * @module `renderTemplate`: picks the template set for (key, channel, locale) with fallback
 * fr-CA → fr → en and tenant overrides first at each step, renders every part in the sandbox from
 * a parse cache, applies the compliance rewrites, and builds the channel's rendering.
 */
import type { Template } from 'liquidjs';
import { REWRITES } from '../compliance/compliance-types.ts';
import { buildRendering, PART_LIMITS, REQUIRED_PARTS } from './channel-renderings.ts';
import {
  createLiquidSandbox,
  type LiquidSandbox,
  parseTemplate,
  renderParsed,
  type TemplateError,
} from './liquid-sandbox.ts';
import { DEFAULT_TEMPLATE_PACK, type TemplateParts } from './pack/default-pack.ts';
import { ORDER_FILTERS, type RenderGlobals } from './template-filters.ts';
import type { Rendering, RenderRequest, TemplateChannel } from './template-types.ts';

export type RenderResult =
  | { ok: true; rendering: Rendering; locale: string }
  | { ok: false; error: TemplateError };

/** The last resort of every fallback chain. */
export const DEFAULT_LOCALE = 'en';

const textSandbox = createLiquidSandbox({ filters: ORDER_FILTERS });
const htmlSandbox = createLiquidSandbox({ filters: ORDER_FILTERS, html: true });
const sandboxFor = (part: string): LiquidSandbox => (part === 'html' ? htmlSandbox : textSandbox);

const chains = new Map<string, readonly string[]>();

/** The tags to try for `locale`, most specific first: `fr-CA` → `fr-CA`, `fr`, `en`. */
export const localeChain = (locale: string): readonly string[] => {
  const cached = chains.get(locale);
  if (cached !== undefined) return cached;
  let canonical: string;
  try {
    canonical = Intl.getCanonicalLocales(locale)[0] ?? DEFAULT_LOCALE;
  } catch {
    canonical = DEFAULT_LOCALE;
  }
  const chain: string[] = [];
  const subtags = canonical.split('-');
  for (let n = subtags.length; n >= 1; n -= 1) chain.push(subtags.slice(0, n).join('-'));
  if (!chain.includes(DEFAULT_LOCALE)) chain.push(DEFAULT_LOCALE);
  if (chains.size > 1000) chains.clear();
  chains.set(locale, chain);
  return chain;
};

const formatLocales = new Map<string, boolean>();
/** Intl would silently use the host's locale for a tag it lacks; we use the template's instead. */
const supportsLocale = (locale: string): boolean => {
  let known = formatLocales.get(locale);
  if (known === undefined) {
    try {
      known = Intl.NumberFormat.supportedLocalesOf([locale]).length > 0;
    } catch {
      known = false;
    }
    if (formatLocales.size > 1000) formatLocales.clear();
    formatLocales.set(locale, known);
  }
  return known;
};

type ParsedParts =
  | { ok: true; parts: [string, Template[]][] }
  | { ok: false; error: TemplateError };

/** Parsed default-pack sets, by key/channel/locale; built on first use, kept for the process. */
const packCache = new Map<string, ParsedParts>();
/** Parsed tenant sources, by part kind and source text; bounded so tenants cannot grow it forever. */
const sourceCache = new Map<
  string,
  { ok: true; templates: Template[] } | { ok: false; error: TemplateError }
>();
const SOURCE_CACHE_MAX = 2000;

const parseSource = (part: string, source: string) => {
  const key = `${part === 'html' ? 'h' : 't'}\u0000${source}`;
  let parsed = sourceCache.get(key);
  if (parsed === undefined) {
    parsed = parseTemplate(sandboxFor(part), source);
    if (sourceCache.size >= SOURCE_CACHE_MAX) sourceCache.clear();
    sourceCache.set(key, parsed);
  }
  return parsed;
};

const parseParts = (parts: TemplateParts): ParsedParts => {
  const out: [string, Template[]][] = [];
  for (const [name, source] of Object.entries(parts)) {
    const parsed = parseSource(name, source);
    if (!parsed.ok) {
      return {
        ok: false,
        error: { code: parsed.error.code, message: `${name}: ${parsed.error.message}` },
      };
    }
    out.push([name, parsed.templates]);
  }
  return { ok: true, parts: out };
};

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined =>
  record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;

interface Selected {
  locale: string;
  parsed: ParsedParts;
}

/** Walks the locale chain; at each step a tenant's parts win over the pack's for that locale. */
const select = (request: RenderRequest): Selected | undefined => {
  const { templateKey: key, channel } = request;
  const packByLocale = own(DEFAULT_TEMPLATE_PACK, key)?.[channel];
  const overrideByLocale = own(request.overrides, key)?.[channel];
  for (const locale of localeChain(request.locale)) {
    const pack = own(packByLocale, locale);
    const override = own(overrideByLocale, locale);
    if (override !== undefined) {
      return { locale, parsed: parseParts({ ...pack, ...override }) };
    }
    if (pack !== undefined) {
      const cacheKey = `${key}\u0000${channel}\u0000${locale}`;
      let parsed = packCache.get(cacheKey);
      if (parsed === undefined) {
        parsed = parseParts(pack);
        packCache.set(cacheKey, parsed);
      }
      return { locale, parsed };
    }
  }
  return undefined;
};

/** Channels where restricted goods must not be named (compliance `generic_items`). */
const GENERIC_ITEM_CHANNELS: ReadonlySet<TemplateChannel> = new Set(['sms', 'whatsapp', 'push']);

const withoutTitles = (items: unknown): unknown =>
  Array.isArray(items)
    ? items.map((item) =>
        typeof item === 'object' && item !== null ? { ...item, title: null } : item,
      )
    : items;

/**
 * Under `generic_items` the titles are removed from the scope itself, so not even a tenant's own
 * template can name a restricted product on SMS, WhatsApp or push.
 */
const scrubItems = (context: Record<string, unknown>): Record<string, unknown> => {
  const scrubbed: Record<string, unknown> = { ...context };
  const { order, shipment } = context;
  if (typeof order === 'object' && order !== null && 'items' in order) {
    scrubbed.order = { ...order, items: withoutTitles(order.items) };
  }
  if (typeof shipment === 'object' && shipment !== null && 'items' in shipment) {
    scrubbed.shipment = { ...shipment, items: withoutTitles(shipment.items) };
  }
  return scrubbed;
};

const flagCache = new Map<string, Readonly<Record<string, boolean>>>();

/** `{ generic_items: true, … }` for templates; few combinations exist, so they are cached. */
const rewriteFlags = (rewrites: readonly string[]): Readonly<Record<string, boolean>> => {
  const key = rewrites.join(',');
  let flags = flagCache.get(key);
  if (flags === undefined) {
    const built: Record<string, boolean> = {};
    for (const r of REWRITES) built[r] = rewrites.includes(r);
    flags = Object.freeze(built);
    if (flagCache.size > 256) flagCache.clear();
    flagCache.set(key, flags);
  }
  return flags;
};

const partLimit = (channel: TemplateChannel, part: string): number | undefined => {
  const limits = PART_LIMITS[channel];
  if (limits === undefined) return undefined;
  return (
    own(limits, part) ?? (/^(header|body)\.\d+$/.test(part) ? own(limits, 'param') : undefined)
  );
};

/**
 * Renders a template for one channel and recipient: the locale actually used comes back with the
 * rendering, and every expected failure is a value with a stable code.
 */
export const renderTemplate = (request: RenderRequest): RenderResult => {
  const selected = select(request);
  if (selected === undefined) {
    return {
      ok: false,
      error: {
        code: 'template_not_found',
        message: `no template "${request.templateKey}" for ${request.channel} in ${localeChain(request.locale).join(', ')}`,
      },
    };
  }
  const { locale, parsed } = selected;
  if (!parsed.ok) return parsed;
  const { channel } = request;
  const names = new Set(parsed.parts.map(([name]) => name));
  const missing = REQUIRED_PARTS[channel].filter((p) => !names.has(p));
  if (missing.length > 0) {
    return {
      ok: false,
      error: {
        code: 'template_not_found',
        message: `"${request.templateKey}" for ${channel} in ${locale} lacks ${missing.join(', ')}`,
      },
    };
  }
  const scope =
    GENERIC_ITEM_CHANNELS.has(channel) && request.rewrites.includes('generic_items')
      ? scrubItems(request.context)
      : request.context;
  const globals: RenderGlobals = {
    locale: supportsLocale(request.locale) ? request.locale : locale,
    language: locale,
    time_zone: request.timeZone,
    rewrites: rewriteFlags(request.rewrites),
  };
  const rendered: Record<string, string> = {};
  for (const [name, templates] of parsed.parts) {
    const sandbox = sandboxFor(name);
    const result = renderParsed(
      sandbox,
      templates,
      scope,
      globals,
      partLimit(channel, name) ?? sandbox.limits.outputChars,
    );
    if (!result.ok) {
      return {
        ok: false,
        error: { code: result.error.code, message: `${name}: ${result.error.message}` },
      };
    }
    rendered[name] = result.output;
  }
  for (const name of REQUIRED_PARTS[channel]) {
    if ((rendered[name] ?? '').trim() === '') {
      return {
        ok: false,
        error: { code: 'template_error', message: `${name}: rendered empty` },
      };
    }
  }
  return {
    ok: true,
    rendering: buildRendering({
      channel,
      templateKey: request.templateKey,
      locale,
      parts: rendered,
      context: request.context,
    }),
    locale,
  };
};
