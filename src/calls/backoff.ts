/**
 * Back-off delays and the rate-limit headers providers send (OpenAI's `x-ratelimit-*` family).
 * @module
 * @internal
 */

/**
 * "Full jitter" exponential back-off (Brooker, AWS Architecture Blog, 2015): a delay drawn uniformly from
 * `[0, min(maxMs, baseMs * 2^attempt))`. Spreading retries over the whole interval stops clients that failed
 * together from retrying together.
 * @internal
 */
export function _backoffMs(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt) * random();
}

/**
 * Parses an OpenAI reset duration: `"1s"`, `"20ms"`, `"6m0s"`, `"1h2m3.5s"`, or a bare number of seconds.
 * Returns ms, or `undefined` when the text is not a duration.
 * @internal
 */
export function _parseDurationMs(text: string | null | undefined): number | undefined {
  if (text === null || text === undefined) return undefined;
  const s = text.trim();
  if (s === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/gy;
  let total = 0;
  let matched = 0;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const v = Number(m[1]);
    total += m[2] === 'h' ? v * 3_600_000 : m[2] === 'm' ? v * 60_000 : m[2] === 's' ? v * 1000 : v;
    matched = re.lastIndex;
  }
  return matched === s.length ? total : undefined;
}

/** What the rate-limit headers of a response say. */
export interface RateLimitHeaders {
  readonly remainingRequests?: number;
  readonly remainingTokens?: number;
  /** Time until the request bucket refills, in ms. */
  readonly resetRequestsMs?: number;
  /** Time until the token bucket refills, in ms. */
  readonly resetTokensMs?: number;
}

/**
 * Reads one header from a `Headers`, a plain record, or an error carrying either in `headers` (openai, Anthropic)
 * or `responseHeaders` (the AI SDK's `APICallError`). @internal
 */
export function _header(source: unknown, name: string): string | undefined {
  if (source === null || typeof source !== 'object') return undefined;
  const s = source as { headers?: unknown; responseHeaders?: unknown };
  const h = s.headers ?? s.responseHeaders ?? source;
  if (h === null || typeof h !== 'object') return undefined;
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const rec = h as Record<string, unknown>;
  const v = rec[name] ?? rec[name.toLowerCase()];
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  return undefined;
}

/**
 * Reads `x-ratelimit-remaining-requests`, `x-ratelimit-remaining-tokens`, `x-ratelimit-reset-requests` and
 * `x-ratelimit-reset-tokens` from an error (the openai SDK's `APIError.headers`) or a headers object.
 * @internal
 */
export function _rateLimitHeaders(source: unknown): RateLimitHeaders {
  const num = (name: string): number | undefined => {
    const v = _header(source, name);
    if (v === undefined || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  const out: {
    remainingRequests?: number;
    remainingTokens?: number;
    resetRequestsMs?: number;
    resetTokensMs?: number;
  } = {};
  const rr = num('x-ratelimit-remaining-requests');
  const rt = num('x-ratelimit-remaining-tokens');
  const sr = _parseDurationMs(_header(source, 'x-ratelimit-reset-requests'));
  const st = _parseDurationMs(_header(source, 'x-ratelimit-reset-tokens'));
  if (rr !== undefined) out.remainingRequests = rr;
  if (rt !== undefined) out.remainingTokens = rt;
  if (sr !== undefined) out.resetRequestsMs = sr;
  if (st !== undefined) out.resetTokensMs = st;
  return out;
}

/**
 * How long every new call should wait according to the headers: the reset time of a bucket the provider
 * reports as empty (`remaining = 0`), the longer of the two when both are; `undefined` when none is empty.
 * @internal
 */
export function _exhaustedForMs(h: RateLimitHeaders): number | undefined {
  let wait: number | undefined;
  if (h.remainingRequests !== undefined && h.remainingRequests <= 0 && h.resetRequestsMs !== undefined)
    wait = h.resetRequestsMs;
  if (h.remainingTokens !== undefined && h.remainingTokens <= 0 && h.resetTokensMs !== undefined)
    wait = Math.max(wait ?? 0, h.resetTokensMs);
  return wait;
}
