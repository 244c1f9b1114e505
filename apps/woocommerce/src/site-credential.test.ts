import { describe, expect, it } from 'vitest';
import { parseWoocommerceCredential, siteKeyFromUrl } from './site-credential.ts';

describe('site credentials', () => {
  it('derives the site key the plugin derives from home_url()', () => {
    expect(siteKeyFromUrl('https://Shop.Example.com/')).toBe('shop.example.com');
    expect(siteKeyFromUrl('https://example.com/shop/')).toBe('example.com/shop');
    expect(siteKeyFromUrl('http://127.0.0.1:8080')).toBe('127.0.0.1:8080');
    expect(siteKeyFromUrl('ftp://example.com')).toBeUndefined();
  });

  it('keeps REST keys off plain HTTP except on loopback', () => {
    expect(parseWoocommerceCredential({ siteUrl: 'http://shop.example.com' }).ok).toBe(false);
    expect(parseWoocommerceCredential({ siteUrl: 'http://127.0.0.1:9/' })).toEqual({
      ok: true,
      credential: { siteUrl: 'http://127.0.0.1:9', restAuth: 'basic' },
    });
  });

  it('names the wrong fields without echoing secrets', () => {
    const result = parseWoocommerceCredential({
      siteUrl: 'https://shop.example.com',
      pluginSecret: 'short-secret',
      consumerKey: 'ck_123',
      restAuth: 'header',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.message).toContain('pluginSecret');
    expect(result.error.message).toContain('consumerKey and consumerSecret');
    expect(result.error.message).toContain('restAuth');
    expect(result.error.message).not.toContain('short-secret');
    expect(result.error.message).not.toContain('ck_123');
  });
});
