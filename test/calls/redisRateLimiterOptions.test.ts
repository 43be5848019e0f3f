// redisRateLimiter's options are checked before it opens a connection: a misspelled limit is a TypeError naming
// it, as `rateLimit` in evaluate()'s options is. Regression: `{ requestsPerMinute: 5 }` (or `rpm` misspelled
// `rmp`) was ignored and the shared limit was Infinity; no Redis is needed to see it.
import { describe, expect, it } from 'vitest';
import { redisRateLimiter } from '../../src/index.js';

describe('redisRateLimiter options', () => {
  it.each([
    ['requestsPerMinute', { requestsPerMinute: 5 }],
    ['rmp', { rmp: 5 }],
    ['tokensPerMinute', { tokensPerMinute: 1000 }],
  ])('an unknown option %s is a TypeError naming it, before any connection', (key, extra) => {
    const make = () => redisRateLimiter({ name: 'acct', url: 'redis://127.0.0.1:1', ...extra } as never);
    expect(make).toThrow(TypeError);
    expect(make).toThrow(`Unknown option \`redisRateLimiter.${key}\``);
  });
});
