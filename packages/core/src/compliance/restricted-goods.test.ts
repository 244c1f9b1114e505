import { describe, expect, it } from 'vitest';
import { categoryFamilies, hasShaftContent } from './restricted-goods.ts';

describe('restricted goods', () => {
  it('places categories in built-in families by whole words', () => {
    expect(categoryFamilies('Wine & Spirits')).toEqual(['alcohol']);
    expect(categoryFamilies('E-Liquid')).toEqual(['tobacco']);
    expect(categoryFamilies('Ammunition')).toEqual(['firearms']);
    expect(categoryFamilies('CBD oil')).toEqual(['cannabis']);
    expect(categoryFamilies('Prescription glasses')).toEqual(['pharmacy']);
    expect(categoryFamilies('Ginger tea')).toEqual([]);
  });

  it('adds the tenant’s own categories, case-insensitively', () => {
    expect(categoryFamilies('Knives', ['knives'])).toEqual(['tenant']);
  });

  it('shaft_content_sms: treats sex, alcohol, firearms, tobacco and cannabis as SHAFT, not pharmacy', () => {
    expect(hasShaftContent(['alcohol'])).toBe(true);
    expect(hasShaftContent(['pharmacy', 'tenant'])).toBe(false);
  });
});
