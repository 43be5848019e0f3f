import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import { _checkInteger, _checkKnownKeys, _checkOptionsObject } from '../_internal/validate.js';

/** Options of {@link rateLimiter}. */
export interface RateLimiterOptions {
  /** Requests per window. Minimum: `1`. @default Infinity */
  readonly rpm?: number;
  /** Tokens (prompt + completion) per window. Minimum: `1`. @default Infinity */
  readonly tpm?: number;
  /**
   * Window length in ms. Providers count per minute; change it only to exercise the limiter quickly in tests.
   * Minimum: `1`. @default 60000
   */
  readonly windowMs?: number;
  /**
   * Completion tokens assumed for a request that sets no `max_tokens` / `max_completion_tokens`, when its
   * size is estimated for the TPM budget. Minimum: `0`. @default 256
   */
  readonly expectedOutputTokens?: number;
  /** Injected for tests: the clock, in ms. @default Date.now */
  readonly now?: () => number;
}

/** A slot taken from a {@link RateLimiter}; release it once when the request is over. */
export interface RateLimitLease {
  /**
   * Ends the request: its slot and tokens stay counted for one more window from now. `actualTokens`, when
   * known from the response's usage, replaces the estimate (reconciliation).
   */
  release(actualTokens?: number): void;
  /**
   * Optional: gives the slot back unused, because the request was never sent (the budget refused it after its
   * wait, or the sender failed before the request left): its slot and tokens are free at once, not counted for
   * a window. Does nothing after `release` (and `release` nothing after it). A lease without it is released
   * instead, which is safe (the request is counted a window longer than it needed to be).
   */
  cancel?(): void;
}

/**
 * A process-wide request and token limiter. One is created per run from `rateLimit: { rpm, tpm }`; create
 * one yourself and pass it as `rateLimit` to share one limit across several runs.
 */
export interface RateLimiter {
  readonly rpm: number;
  readonly tpm: number;
  readonly windowMs: number;
  readonly expectedOutputTokens: number;
  /** Waits until a request of `tokens` fits, then takes its slot. Rejects with `signal.reason` on abort. */
  acquire(tokens: number, signal?: AbortSignal): Promise<RateLimitLease>;
  /** Takes a slot now if one is free (and nobody is queued), else returns `undefined`. */
  tryAcquire(tokens: number): RateLimitLease | undefined;
  /** Requests and tokens counted now (in flight, or finished less than a window ago). */
  usage(): { readonly requests: number; readonly tokens: number; readonly queued: number };
  /**
   * Optional: stops admitting for `ms` because the provider said its bucket is empty (a 429's reset header).
   * The runtime calls it on such a 429; a shared limiter ({@link redisRateLimiter}) pauses every process.
   */
  pause?(ms: number): void | Promise<void>;
}

/**
 * Creates a limiter that keeps every window of `windowMs` (60 s by default) at or under `rpm` requests and
 * `tpm` tokens, as measured by the provider.
 *
 * Algorithm: a token bucket whose tokens come back one window after the request that spent them has
 * *finished* (a sliding-window log). A request counts from the moment it is admitted until `windowMs` after
 * its response, so whatever the network delay, any two requests the provider sees less than a window apart
 * were both counted at once here — the limit holds exactly at the server, not only at the client (a classic
 * refill-rate bucket allows up to twice its capacity in one sliding window). Finished requests expire in
 * completion order, so bookkeeping is a FIFO queue: O(1) amortised per request. Waiters are served first come,
 * first served. A request estimated above `tpm` is counted as `tpm` (it waits for an empty window rather than
 * forever).
 *
 * @param options - see {@link RateLimiterOptions}.
 * @throws {RangeError} when a limit is not an integer >= 1 (or Infinity).
 * @throws {TypeError} for a field that is not one of {@link RateLimiterOptions} (a misspelled limit is no limit).
 * @example
 * ```ts
 * const shared = rateLimiter({ rpm: 500, tpm: 200_000 });
 * await Promise.all([evaluate(a, m, metrics, { rateLimit: shared }), evaluate(b, m, metrics, { rateLimit: shared })]);
 * // both runs together stay under 500 requests and 200k tokens per minute
 * ```
 */
export function rateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  return new SlidingWindowLimiter(options);
}

/** A request waiting for room in the window. */
interface Waiter {
  readonly tokens: number;
  readonly resolve: (l: RateLimitLease) => void;
  readonly reject: (e: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

/** The limiter {@link rateLimiter} creates (see there): its window is private state. @internal */
class SlidingWindowLimiter implements RateLimiter {
  readonly rpm: number;
  readonly tpm: number;
  readonly windowMs: number;
  readonly expectedOutputTokens: number;
  readonly #now: () => number;
  // Finished requests, in completion order (so also in expiry order): parallel arrays used as a queue.
  readonly #expiries: number[] = [];
  readonly #spent: number[] = [];
  #head = 0;
  #finishedTokens = 0;
  #inFlight = 0;
  #inFlightTokens = 0;
  readonly #waiters: Waiter[] = [];
  #timer: ReturnType<typeof setTimeout> | undefined;
  #timerAt = Number.POSITIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    _checkOptionsObject('rateLimit', options);
    _checkRateLimitKeys(options);
    this.rpm = _checkInteger('rateLimit.rpm', options.rpm ?? Number.POSITIVE_INFINITY, 1, undefined, true);
    this.tpm = _checkInteger('rateLimit.tpm', options.tpm ?? Number.POSITIVE_INFINITY, 1, undefined, true);
    this.windowMs = _checkInteger('rateLimit.windowMs', options.windowMs ?? 60_000, 1);
    this.expectedOutputTokens = _checkInteger(
      'rateLimit.expectedOutputTokens',
      options.expectedOutputTokens ?? 256,
      0,
    );
    this.#now = options.now ?? Date.now;
  }

  tryAcquire(tokens: number): RateLimitLease | undefined {
    const t = this.#clampTokens(tokens);
    this.#prune(this.#now());
    return this.#waiters.length === 0 && this.#fits(t) ? this.#take(t) : undefined;
  }

  acquire(tokens: number, signal?: AbortSignal): Promise<RateLimitLease> {
    const t = this.#clampTokens(tokens);
    if (signal?.aborted) return Promise.reject(signal.reason);
    this.#prune(this.#now());
    if (this.#waiters.length === 0 && this.#fits(t)) return Promise.resolve(this.#take(t));
    return new Promise<RateLimitLease>((resolve, reject) => {
      const w: Waiter = { tokens: t, resolve, reject };
      if (signal) {
        w.signal = signal;
        w.onAbort = () => {
          const i = this.#waiters.indexOf(w);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal.reason);
          this.#pump();
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.#waiters.push(w);
      this.#pump();
    });
  }

  usage(): { readonly requests: number; readonly tokens: number; readonly queued: number } {
    this.#prune(this.#now());
    return Object.freeze({
      requests: this.#inFlight + this.#expiries.length - this.#head,
      tokens: this.#inFlightTokens + this.#finishedTokens,
      queued: this.#waiters.length,
    });
  }

  #prune(t: number): void {
    const expiries = this.#expiries;
    while (this.#head < expiries.length && (expiries[this.#head] as number) <= t) {
      this.#finishedTokens -= this.#spent[this.#head] as number;
      this.#head++;
    }
    if (this.#head > 1024 && this.#head * 2 > expiries.length) {
      expiries.splice(0, this.#head);
      this.#spent.splice(0, this.#head);
      this.#head = 0;
    }
  }

  #fits(tokens: number): boolean {
    const requests = this.#inFlight + this.#expiries.length - this.#head;
    return requests < this.rpm && this.#inFlightTokens + this.#finishedTokens + tokens <= this.tpm;
  }

  #take(tokens: number): RateLimitLease {
    this.#inFlight++;
    this.#inFlightTokens += tokens;
    let released = false;
    return {
      cancel: (): void => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#inFlightTokens -= tokens;
        this.#pump();
      },
      release: (actualTokens?: number): void => {
        if (released) return;
        released = true;
        this.#inFlight--;
        this.#inFlightTokens -= tokens;
        const used =
          actualTokens !== undefined && Number.isFinite(actualTokens) && actualTokens >= 0
            ? actualTokens
            : tokens;
        this.#expiries.push(this.#now() + this.windowMs);
        this.#spent.push(used);
        this.#finishedTokens += used;
        this.#pump();
      },
    };
  }

  #clampTokens(tokens: number): number {
    if (!Number.isFinite(tokens) || tokens < 0) return 0;
    return Math.min(tokens, this.tpm);
  }

  #pump(): void {
    const waiters = this.#waiters;
    if (waiters.length === 0) {
      this.#unschedule();
      return;
    }
    this.#prune(this.#now());
    while (waiters.length > 0 && this.#fits((waiters[0] as Waiter).tokens)) {
      const w = waiters.shift() as Waiter;
      if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
      w.resolve(this.#take(w.tokens));
    }
    if (waiters.length === 0) {
      this.#unschedule();
      return;
    }
    // Blocked: wake when the oldest finished request expires (a release also pumps).
    if (this.#head < this.#expiries.length) this.#schedule(this.#expiries[this.#head] as number);
  }

  /**
   * Drops the wake-up when no request waits: it only wakes waiters, and with none left (the last one aborted) it
   * would keep the process alive for up to a window after the run that made them had returned.
   */
  #unschedule(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#timerAt = Number.POSITIVE_INFINITY;
  }

  #schedule(at: number): void {
    if (this.#timer !== undefined && this.#timerAt <= at) return;
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#timerAt = Number.POSITIVE_INFINITY;
        this.#pump();
      },
      // A window past Node's longest timer wakes at that timer and schedules again (a longer one fires at once).
      Math.min(_MAX_TIMER_MS, Math.max(0, at - this.#now())),
    );
  }
}

/**
 * Gives back the slot of a request that was never sent: unused where the lease can ({@link RateLimitLease.cancel}),
 * else released with `releasedTokens` (a user's limiter without `cancel` then counts it a window longer than needed,
 * never shorter).
 * @example
 * ```ts
 * const lease = await rateLimiter({ rpm: 60 }).acquire(100);
 * giveBackUnsent(lease); // the budget refused the request: its slot is free again at once
 * ```
 */
export function giveBackUnsent(lease: RateLimitLease | undefined, releasedTokens?: number): void {
  if (lease === undefined) return;
  if (lease.cancel !== undefined) lease.cancel();
  else lease.release(releasedTokens);
}

/** Throws a TypeError naming a field of `rateLimit` options that is not one of {@link RateLimiterOptions}. @internal */
export function _checkRateLimitKeys(options: unknown): void {
  _checkKnownKeys('rateLimit', options, ['rpm', 'tpm', 'windowMs', 'expectedOutputTokens', 'now']);
}

/** True when `x` is a limiter object rather than `{ rpm, tpm }` options. @internal */
export function isRateLimiter(x: unknown): x is RateLimiter {
  return x !== null && typeof x === 'object' && typeof (x as RateLimiter).acquire === 'function';
}
