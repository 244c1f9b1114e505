import { describe, expect, it } from 'vitest';
import { HttpError } from './http-error.ts';
import { createRequestLimiter } from './request-limits.ts';

describe('request limits', () => {
  it('lets a burst through, then answers 429 with Retry-After, then refills at the rate', () => {
    let t = 0;
    const limiter = createRequestLimiter({ perSecond: 2, burst: 3 }, () => t);
    for (let i = 0; i < 3; i++) limiter.take('shop-a');
    let refused: unknown;
    try {
      limiter.take('shop-a');
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({
      statusCode: 429,
      code: 'rate_limited',
      headers: { 'retry-after': '1' },
    });
    limiter.take('shop-b');
    t = 500;
    expect(() => limiter.take('shop-a')).not.toThrow();
    expect(() => limiter.take('shop-a')).toThrow(HttpError);
  });
});
