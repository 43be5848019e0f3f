import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { _backoffMs, _exhaustedForMs, _parseDurationMs, _rateLimitHeaders } from '../../src/calls/backoff.js';
import { _isRetryable } from '../../src/calls/classifyError.js';
import { retryAfterMs } from '../../src/calls/retryPolicy.js';
import { TimeoutError } from '../../src/errors.js';

describe('_backoffMs (full jitter)', () => {
  it('is uniform on [0, min(maxMs, base * 2^attempt))', () => {
    expect(_backoffMs(0, 100, 10_000, () => 0.5)).toBe(50);
    expect(_backoffMs(3, 100, 10_000, () => 0.5)).toBe(400);
    expect(_backoffMs(10, 100, 10_000, () => 0.999)).toBe(9990);
    expect(_backoffMs(2, 100, 10_000, () => 0)).toBe(0);
  });
});

describe('_parseDurationMs', () => {
  it.each([
    ['1s', 1000],
    ['20ms', 20],
    ['6m0s', 360_000],
    ['1h2m3.5s', 3_723_500],
    ['0.5', 500],
    ['2', 2000],
  ])('%s -> %d ms', (text, ms) => {
    expect(_parseDurationMs(text)).toBe(ms);
  });
  it.each(['', 'soon', '1x', '1s junk', null, undefined])('%o is not a duration', (text) => {
    expect(_parseDurationMs(text as string)).toBeUndefined();
  });
});

describe('rate-limit headers', () => {
  const headers = new Headers({
    'x-ratelimit-remaining-requests': '0',
    'x-ratelimit-remaining-tokens': '1500',
    'x-ratelimit-reset-requests': '1.5s',
    'x-ratelimit-reset-tokens': '20ms',
  });
  it('reads the x-ratelimit-* family from Headers or a record or an error', () => {
    const want = { remainingRequests: 0, remainingTokens: 1500, resetRequestsMs: 1500, resetTokensMs: 20 };
    expect(_rateLimitHeaders(headers)).toEqual(want);
    expect(_rateLimitHeaders({ headers })).toEqual(want);
    expect(_rateLimitHeaders(Object.fromEntries(headers))).toEqual(want);
    expect(_rateLimitHeaders({})).toEqual({});
  });
  it('says how long to hold when a bucket is empty', () => {
    expect(_exhaustedForMs(_rateLimitHeaders(headers))).toBe(1500);
    expect(_exhaustedForMs({ remainingRequests: 3, remainingTokens: 0, resetTokensMs: 250 })).toBe(250);
    expect(
      _exhaustedForMs({ remainingRequests: 0, resetRequestsMs: 100, remainingTokens: 0, resetTokensMs: 250 }),
    ).toBe(250);
    expect(_exhaustedForMs({ remainingRequests: 2, resetRequestsMs: 100 })).toBeUndefined();
  });
  it('retry-after-ms wins over retry-after; an HTTP date is relative to now', () => {
    expect(retryAfterMs({ headers: new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }) })).toBe(250);
    expect(retryAfterMs({ headers: new Headers({ 'retry-after': '2' }) })).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs({ headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' } }, now)).toBe(3000);
    expect(retryAfterMs({ headers: new Headers() })).toBeUndefined();
  });
});

describe('_isRetryable', () => {
  it.each([
    [{ status: 429 }, true],
    [{ status: 500 }, true],
    [{ status: 503 }, true],
    [{ status: 408 }, true],
    [{ status: 400 }, false],
    [{ status: 401 }, false],
    [{ status: 403 }, false],
    [{ status: 404 }, false],
    [{ code: 'ECONNRESET' }, true],
    [new OpenAI.APIConnectionError({ message: 'Connection error.' }), true],
    [{ cause: { code: 'UND_ERR_SOCKET' } }, true],
    [new TimeoutError('t', 5), true],
    [new Error('plain'), false],
  ])('%o -> %s', (err, want) => {
    expect(_isRetryable(err)).toBe(want);
  });
});
