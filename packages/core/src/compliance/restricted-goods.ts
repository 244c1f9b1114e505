/**
 * @module Restricted goods: which line items are age-restricted, pharmacy or adult, so their
 * names stay off lock screens, and which are SHAFT content US carriers filter on SMS.
 */
import type { OrderEvent } from '../order-event.ts';
import { memoize } from './bounded-memo.ts';

export const RESTRICTED_FAMILIES = [
  'alcohol',
  'tobacco',
  'firearms',
  'cannabis',
  'pharmacy',
  'adult',
  /** A category in the tenant's own `restrictedCategories`. */
  'tenant',
] as const;
export type RestrictedFamily = (typeof RESTRICTED_FAMILIES)[number];

/**
 * Words that put a category in a family, matched as whole words of the category name. Broad on
 * purpose: a false match only costs generic wording (or SMS for a marketing message).
 */
const FAMILY_WORDS: Readonly<Record<Exclude<RestrictedFamily, 'tenant'>, readonly string[]>> = {
  alcohol: [
    'alcohol',
    'alcoholic',
    'beer',
    'beers',
    'wine',
    'wines',
    'spirits',
    'liquor',
    'liquors',
    'whisky',
    'whiskey',
    'vodka',
    'gin',
    'rum',
    'tequila',
    'cider',
    'sake',
    'champagne',
    'brandy',
    'cognac',
    'mezcal',
  ],
  tobacco: [
    'tobacco',
    'cigarette',
    'cigarettes',
    'cigar',
    'cigars',
    'vape',
    'vapes',
    'vaping',
    'ecig',
    'e-cigarette',
    'e-liquid',
    'eliquid',
    'nicotine',
    'hookah',
    'shisha',
  ],
  firearms: [
    'firearm',
    'firearms',
    'gun',
    'guns',
    'ammunition',
    'ammo',
    'rifle',
    'rifles',
    'pistol',
    'pistols',
    'handgun',
    'handguns',
    'shotgun',
    'shotguns',
    'weapon',
    'weapons',
  ],
  cannabis: ['cannabis', 'cbd', 'thc', 'marijuana', 'hemp', 'delta-8', 'delta-9', 'kratom'],
  pharmacy: [
    'pharmacy',
    'prescription',
    'rx',
    'medication',
    'medications',
    'medicine',
    'medicines',
    'drug',
    'drugs',
    'pharmaceutical',
    'pharmaceuticals',
  ],
  adult: ['adult', 'erotic', 'sexual', 'sex', 'xxx', 'intimate'],
};

/**
 * SHAFT (sex, hate, alcohol, firearms, tobacco) per the CTIA Messaging Principles and Best
 * Practices, plus cannabis, which US carriers refuse outright. Hate is content, not goods.
 */
export const SHAFT_FAMILIES: readonly RestrictedFamily[] = [
  'adult',
  'alcohol',
  'firearms',
  'tobacco',
  'cannabis',
];

const words = (category: string): string[] =>
  category
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter(Boolean);

/** The built-in families a category's words name; categories recur on every plan, so memoised. */
const builtInFamilies = memoize((category: string): readonly RestrictedFamily[] => {
  const ws = words(category);
  return RESTRICTED_FAMILIES.filter(
    (family) => family !== 'tenant' && ws.some((w) => FAMILY_WORDS[family].includes(w)),
  );
});

/** The restricted families one product category belongs to (empty when none). */
export const categoryFamilies = (
  category: string,
  tenantCategories: readonly string[] = [],
): RestrictedFamily[] => {
  const lower = category.trim().toLowerCase();
  const tenant = tenantCategories.some((c) => c.trim().toLowerCase() === lower);
  const builtIn = builtInFamilies(category);
  return tenant ? ['tenant', ...builtIn] : [...builtIn];
};

/** Every restricted family among the order's line items. */
export const orderRestrictedFamilies = (
  event: OrderEvent,
  tenantCategories: readonly string[] = [],
): RestrictedFamily[] => [
  ...new Set(
    event.order.lineItems.flatMap((item) =>
      item.categories.flatMap((c) => categoryFamilies(c, tenantCategories)),
    ),
  ),
];

/** True when any family is SHAFT content for US carriers. */
export const hasShaftContent = (families: readonly RestrictedFamily[]): boolean =>
  families.some((f) => SHAFT_FAMILIES.includes(f));
