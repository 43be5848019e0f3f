/**
 * Sliding-window request and token accounting for the mock server's `rateLimit` option.
 * @module
 */

/** One admitted request: its arrival time and tokens (completion tokens are added once answered). */
export interface _WindowEntry {
  readonly at: number;
  tokens: number;
}

/** The outcome of an admission check, with what the `x-ratelimit-*` headers should say. */
export interface _Admission {
  readonly ok: boolean;
  /** The admitted entry (only when `ok`). */
  readonly entry: _WindowEntry | undefined;
  /** When rejected: ms until the request could fit. */
  readonly retryAfterMs: number;
  readonly limitRequests: number | undefined;
  readonly remainingRequests: number | undefined;
  readonly resetRequestsMs: number;
  readonly limitTokens: number | undefined;
  readonly remainingTokens: number | undefined;
  readonly resetTokensMs: number;
  /** Which limit rejected the request. */
  readonly reason: 'requests' | 'tokens' | undefined;
}

/** What rate-limit headers describe: an admission, or the state an injected 429 advertises. */
export type _RateState = Pick<
  _Admission,
  | 'limitRequests'
  | 'remainingRequests'
  | 'resetRequestsMs'
  | 'limitTokens'
  | 'remainingTokens'
  | 'resetTokensMs'
>;

/**
 * Rate-limit headers of `state`, for the limits it has: `name` spells a header from the limit and the field,
 * `reset` writes a reset delay in ms (each API has its own names and reset format).
 */
export function _rateHeaders(
  state: _RateState,
  name: (limit: 'requests' | 'tokens', field: 'limit' | 'remaining' | 'reset') => string,
  reset: (ms: number) => string,
): Record<string, string> {
  const h: Record<string, string> = {};
  if (state.limitRequests !== undefined) {
    h[name('requests', 'limit')] = String(state.limitRequests);
    h[name('requests', 'remaining')] = String(state.remainingRequests);
    h[name('requests', 'reset')] = reset(state.resetRequestsMs);
  }
  if (state.limitTokens !== undefined) {
    h[name('tokens', 'limit')] = String(state.limitTokens);
    h[name('tokens', 'remaining')] = String(state.remainingTokens);
    h[name('tokens', 'reset')] = reset(state.resetTokensMs);
  }
  return h;
}

/** Limits of the window. */
export interface _WindowLimits {
  readonly rpm?: number;
  readonly tpm?: number;
  readonly windowMs?: number;
}

/** Sliding window over admitted requests; times are `performance.now()` ms. */
export class _RateWindow {
  private entries: _WindowEntry[] = [];
  private head = 0;

  /** Admits a request with `tokens` prompt tokens at `now` if both limits allow it. */
  admit(now: number, tokens: number, limits: _WindowLimits): _Admission {
    const windowMs = limits.windowMs ?? 60_000;
    this.prune(now, windowMs);
    const live = this.entries.length - this.head;
    let used = 0;
    for (let i = this.head; i < this.entries.length; i++) used += this.entries[i].tokens;
    const oldest = live > 0 ? this.entries[this.head].at : now;
    const resetRequestsMs = live > 0 ? Math.max(0, oldest + windowMs - now) : 0;
    const { rpm, tpm } = limits;
    const tooManyRequests = rpm !== undefined && live + 1 > rpm;
    const tooManyTokens = tpm !== undefined && used + tokens > tpm;
    // Tokens free up as the oldest entries leave the window: wait until enough of them have.
    let resetTokensMs = 0;
    if (tpm !== undefined) {
      let freed = 0;
      const need = used + tokens - tpm;
      for (let i = this.head; i < this.entries.length && freed < need; i++) {
        freed += this.entries[i].tokens;
        resetTokensMs = Math.max(0, this.entries[i].at + windowMs - now);
      }
      if (tokens > tpm) resetTokensMs = windowMs;
    }
    const ok = !tooManyRequests && !tooManyTokens;
    let entry: _WindowEntry | undefined;
    if (ok) {
      entry = { at: now, tokens };
      this.entries.push(entry);
    }
    const countAfter = live + (ok ? 1 : 0);
    const usedAfter = used + (ok ? tokens : 0);
    return {
      ok,
      entry,
      retryAfterMs: Math.max(tooManyRequests ? resetRequestsMs : 0, tooManyTokens ? resetTokensMs : 0),
      limitRequests: rpm,
      remainingRequests: rpm === undefined ? undefined : Math.max(0, rpm - countAfter),
      resetRequestsMs: ok && live === 0 ? windowMs : resetRequestsMs,
      limitTokens: tpm,
      remainingTokens: tpm === undefined ? undefined : Math.max(0, tpm - usedAfter),
      resetTokensMs,
      reason: tooManyRequests ? 'requests' : tooManyTokens ? 'tokens' : undefined,
    };
  }

  /** Forgets everything. */
  clear(): void {
    this.entries = [];
    this.head = 0;
  }

  private prune(now: number, windowMs: number): void {
    while (this.head < this.entries.length && this.entries[this.head].at <= now - windowMs) this.head++;
    // Compact now and then so the array does not grow without bound.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }
}

/** OpenAI's duration format for `x-ratelimit-reset-*`: `250ms`, `1.5s`, `6m0s`. */
export function _formatReset(ms: number): string {
  const r = Math.max(0, Math.ceil(ms));
  if (r < 1000) return `${r}ms`;
  const s = r / 1000;
  if (s < 60) return `${Number(s.toFixed(3))}s`;
  const m = Math.floor(s / 60);
  return `${m}m${Number((s - m * 60).toFixed(3))}s`;
}
