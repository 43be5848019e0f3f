/**
 * The rate limiter of {@link rateLimiter}, shared by any number of processes through Redis.
 * @module
 */
import type { Redis } from 'ioredis';
import { _describe } from '../_internal/describe.js';
import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import { _redisOf } from '../_internal/redisConnection.js';
import { _checkInteger, _checkKnownKeys, _checkOptionsObject } from '../_internal/validate.js';
import type { RedisConnection } from '../core/types.js';
import type { RateLimiter, RateLimitLease } from './rateLimiter.js';

/** Options of {@link redisRateLimiter}: one of `url` / `connection`, a `name`, and the limits. */
export interface RedisRateLimiterOptions {
  /** Redis URL, e.g. `redis://127.0.0.1:6379`. The limiter opens its own connection and closes it in `close()`. */
  readonly url?: string;
  /** An open ioredis connection to use instead of `url` (left open by `close()`). */
  readonly connection?: RedisConnection;
  /**
   * The limit's name: every limiter of the same name on the same Redis shares one limit (one provider
   * account, say `'openai-prod'`). Letters, digits, `_ . : -`.
   */
  readonly name: string;
  /** Requests per window. Minimum: `1`. @default Infinity */
  readonly rpm?: number;
  /** Tokens (prompt + completion) per window. Minimum: `1`. @default Infinity */
  readonly tpm?: number;
  /** Window length in ms. Minimum: `1`. @default 60000 */
  readonly windowMs?: number;
  /**
   * Completion tokens assumed for a request that sets no `max_tokens`, when its size is estimated for the TPM
   * budget. Minimum: `0`. @default 256
   */
  readonly expectedOutputTokens?: number;
  /**
   * How long an admitted request may stay unreleased before the limiter takes its holder for dead (a killed
   * process) and counts it as finished at that moment (so its slot frees one window later). The limit stays
   * exact as long as every request reaches the provider within `leaseMs` of its admission. Minimum: `1`.
   * @default 60000
   */
  readonly leaseMs?: number;
}

/** A {@link RateLimiter} whose state lives in Redis. */
export interface RedisRateLimiter extends RateLimiter {
  /** The limit's name (see {@link RedisRateLimiterOptions.name}). */
  readonly name: string;
  /** See {@link RedisRateLimiterOptions.leaseMs}. */
  readonly leaseMs: number;
  /** The Redis URL, when the limiter was made from one. */
  readonly url: string | undefined;
  /**
   * Stops every holder of this limit, in every process, from being admitted for `ms` (a provider's 429
   * reset header). A shorter pause than one already in force changes nothing.
   */
  pause(ms: number): Promise<void>;
  /** Rejects the waiters, stops polling and closes the connection the limiter opened. Idempotent. */
  close(): Promise<void>;
}

const NAME = /^[A-Za-z0-9_.:-]+$/;

// KEYS: 1 in-flight leases (zset: id -> deadline), 2 finished requests (zset: id -> expiry), 3 tokens per
// request (hash), 4 sum of tokens counted (string), 5 pause-until (string, ms on Redis's clock).
// ARGV: rpm (-1 = none), tpm (-1 = none), windowMs, leaseMs, tokens, lease id ('' = only report usage).
// Returns { admitted 0|1, wait ms, requests counted, tokens counted }.
const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local rpm = tonumber(ARGV[1])
local tpm = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local lease = tonumber(ARGV[4])
local tokens = tonumber(ARGV[5])
local id = ARGV[6]
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES')
for i = 1, #dead, 2 do
  redis.call('ZREM', KEYS[1], dead[i])
  redis.call('ZADD', KEYS[2], tonumber(dead[i + 1]) + window, dead[i])
end
local total = tonumber(redis.call('GET', KEYS[4]) or '0')
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
for i = 1, #expired do
  total = total - tonumber(redis.call('HGET', KEYS[3], expired[i]) or '0')
  redis.call('HDEL', KEYS[3], expired[i])
end
if #expired > 0 then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
  redis.call('SET', KEYS[4], total)
end
local count = redis.call('ZCARD', KEYS[1]) + redis.call('ZCARD', KEYS[2])
if id == '' then return {0, 0, count, total} end
local paused = tonumber(redis.call('GET', KEYS[5]) or '0')
if paused > now then return {0, paused - now, count, total} end
if (rpm < 0 or count < rpm) and (tpm < 0 or total + tokens <= tpm) then
  redis.call('ZADD', KEYS[1], now + lease, id)
  redis.call('HSET', KEYS[3], id, tokens)
  redis.call('SET', KEYS[4], total + tokens)
  local ttl = lease + 2 * window
  for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], ttl) end
  return {1, 0, count + 1, total + tokens}
end
local wait = window
local first = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #first > 0 then wait = tonumber(first[2]) - now end
-- Blocked on tokens only: a release anywhere may free some at once (usage below the estimate), so poll.
if not (rpm >= 0 and count >= rpm) and redis.call('ZCARD', KEYS[1]) > 0 and wait > 50 then wait = 50 end
if wait < 1 then wait = 1 end
return {0, wait, count, total}
`;

// KEYS as ACQUIRE; ARGV: lease id, tokens used (-1 = keep the estimate), windowMs, leaseMs.
// The request stays counted until one window from now, with its actual tokens.
const RELEASE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local est = redis.call('HGET', KEYS[3], id)
if not est then return 0 end
local used = tonumber(ARGV[2])
if used < 0 then used = tonumber(est) end
redis.call('ZREM', KEYS[1], id)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), id)
redis.call('HSET', KEYS[3], id, used)
redis.call('INCRBY', KEYS[4], used - tonumber(est))
local ttl = tonumber(ARGV[4]) + 2 * tonumber(ARGV[3])
for k = 1, 4 do redis.call('PEXPIRE', KEYS[k], ttl) end
return 1
`;

// KEYS as ACQUIRE; ARGV: lease id. A request never sent: its slot and estimate are freed at once. A lease that
// lapsed (its holder taken for dead) or was released stays counted.
const CANCEL = `
local id = ARGV[1]
if redis.call('ZREM', KEYS[1], id) == 0 then return 0 end
local est = tonumber(redis.call('HGET', KEYS[3], id) or '0')
redis.call('HDEL', KEYS[3], id)
redis.call('DECRBY', KEYS[4], est)
return 1
`;

// KEYS[1] pause-until; ARGV[1] ms. Keeps the later of the two pauses.
const PAUSE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local until_ = now + tonumber(ARGV[1])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if until_ > cur then redis.call('SET', KEYS[1], until_, 'PX', tonumber(ARGV[1]) + 1000) end
return until_
`;

interface Commands {
  evalgateRlAcquire(...args: (string | number)[]): Promise<[number, number, number, number]>;
  evalgateRlRelease(...args: (string | number)[]): Promise<number>;
  evalgateRlCancel(...args: (string | number)[]): Promise<number>;
  evalgateRlPause(...args: (string | number)[]): Promise<number>;
}

/**
 * Creates a limiter that keeps every window of `windowMs` at or under `rpm` requests and `tpm` tokens across
 * every process that uses a limiter of the same `name` on the same Redis: N workers share one limit instead of
 * each spending the whole of it.
 *
 * Algorithm: the rule of the in-process {@link rateLimiter} — a request counts from its admission until one
 * window after it completes, with its estimated tokens replaced by the provider's usage on release — kept in
 * Redis (a sorted set of requests in flight, one of finished requests by expiry, their tokens) and applied by
 * Lua scripts, which Redis runs atomically, on Redis's own clock (`TIME`), so no two processes can both take
 * the last slot and no process's clock matters. Since any two requests the provider sees less than a window
 * apart were both counted at once, the limit holds exactly at the server. A refused process sleeps until the
 * oldest finished request expires (the earliest a slot can free; when only tokens are short and requests are in
 * flight, 50 ms, since a release below its estimate frees tokens at once), then asks again; its own waiters are served
 * first come, first served. A holder that dies mid-request is detected by its lease (`leaseMs`). A 429's
 * reset (`pause`) stops admission in every process. BullMQ's limiter and rate-limiter-flexible count jobs in
 * fixed windows (up to twice the limit in a sliding window, no token weighting), which is why neither is used.
 * `tryAcquire` always answers `undefined` (admission needs a round trip); `usage()` is the last answer seen.
 *
 * @param options - see {@link RedisRateLimiterOptions}.
 * @throws {TypeError} when neither `url` nor `connection` is given, or `name` is not a name.
 * @throws {RangeError} when a limit is not an integer >= 1 (or Infinity).
 * @example
 * ```ts
 * const limit = redisRateLimiter({ url: 'redis://127.0.0.1:6379', name: 'openai', rpm: 500, tpm: 200_000 });
 * await evaluate(data, model, metrics, { rateLimit: limit }); // in each of several processes
 * // together they stay under 500 requests and 200k tokens in every minute
 * await limit.close();
 * ```
 */
export function redisRateLimiter(options: RedisRateLimiterOptions): RedisRateLimiter {
  return new RedisWindowLimiter(options);
}

/** A request waiting for the shared window. */
interface Waiter {
  readonly tokens: number;
  resolve(l: RateLimitLease): void;
  reject(e: unknown): void;
  readonly signal: AbortSignal | undefined;
  onAbort?: () => void;
}

const limitArg = (x: number) => (Number.isFinite(x) ? x : -1);

/** The limiter {@link redisRateLimiter} creates (see there): its connection and waiters are private. @internal */
class RedisWindowLimiter implements RedisRateLimiter {
  readonly rpm: number;
  readonly tpm: number;
  readonly windowMs: number;
  readonly expectedOutputTokens: number;
  readonly name: string;
  readonly leaseMs: number;
  readonly url: string | undefined;
  readonly #redis: Redis & Commands;
  readonly #owned: boolean;
  readonly #keys: readonly string[];
  readonly #me = `${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
  #seq = 0;
  #last = { requests: 0, tokens: 0 };
  #closed = false;
  readonly #waiters: Waiter[] = [];
  #pumping = false;
  #wake: (() => void) | undefined;
  #sleepTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: RedisRateLimiterOptions) {
    _checkOptionsObject('redisRateLimiter', options);
    _checkKnownKeys('redisRateLimiter', options, [
      'url',
      'connection',
      'name',
      'rpm',
      'tpm',
      'windowMs',
      'expectedOutputTokens',
      'leaseMs',
    ]);
    if (typeof options.name !== 'string' || !NAME.test(options.name))
      throw new TypeError(
        `Expected \`redisRateLimiter.name\` to be a name of letters, digits, _ . : -, got ${_describe(options.name)}`,
      );
    this.name = options.name;
    this.url = options.url;
    this.rpm = _checkInteger('rateLimit.rpm', options.rpm ?? Number.POSITIVE_INFINITY, 1, undefined, true);
    this.tpm = _checkInteger('rateLimit.tpm', options.tpm ?? Number.POSITIVE_INFINITY, 1, undefined, true);
    this.windowMs = _checkInteger('rateLimit.windowMs', options.windowMs ?? 60_000, 1);
    this.leaseMs = _checkInteger('rateLimit.leaseMs', options.leaseMs ?? 60_000, 1);
    this.expectedOutputTokens = _checkInteger(
      'rateLimit.expectedOutputTokens',
      options.expectedOutputTokens ?? 256,
      0,
    );
    const redis = _redisOf('redisRateLimiter', options) as Redis & Commands;
    this.#redis = redis;
    this.#owned = options.connection === undefined;
    redis.defineCommand('evalgateRlAcquire', { numberOfKeys: 5, lua: ACQUIRE });
    redis.defineCommand('evalgateRlRelease', { numberOfKeys: 5, lua: RELEASE });
    redis.defineCommand('evalgateRlCancel', { numberOfKeys: 5, lua: CANCEL });
    redis.defineCommand('evalgateRlPause', { numberOfKeys: 1, lua: PAUSE });
    const base = `evalgate:rl:{${options.name}}:`;
    this.#keys = [`${base}inflight`, `${base}done`, `${base}tokens`, `${base}total`, `${base}paused`];
  }

  tryAcquire(): RateLimitLease | undefined {
    return undefined;
  }

  acquire(tokens: number, signal?: AbortSignal): Promise<RateLimitLease> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new Error(`redisRateLimiter "${this.name}" is closed`));
    return new Promise<RateLimitLease>((resolve, reject) => {
      const w: Waiter = { tokens: this.#clampTokens(tokens), resolve, reject, signal };
      if (signal) {
        w.onAbort = () => {
          const i = this.#waiters.indexOf(w);
          if (i >= 0) this.#waiters.splice(i, 1);
          reject(signal.reason);
        };
        signal.addEventListener('abort', w.onAbort, { once: true });
      }
      this.#waiters.push(w);
      void this.#pump();
    });
  }

  usage(): { readonly requests: number; readonly tokens: number; readonly queued: number } {
    return Object.freeze({
      requests: this.#last.requests,
      tokens: this.#last.tokens,
      queued: this.#waiters.length,
    });
  }

  async pause(ms: number): Promise<void> {
    if (!Number.isFinite(ms) || ms <= 0) return;
    await this.#redis.evalgateRlPause(this.#keys[4]!, Math.ceil(ms));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#wake?.();
    this.#failAll(new Error(`redisRateLimiter "${this.name}" was closed while waiting`));
    if (this.#owned) await this.#redis.quit().catch(() => this.#redis.disconnect());
  }

  #failAll(err: unknown): void {
    for (const x of this.#waiters.splice(0)) {
      if (x.signal && x.onAbort) x.signal.removeEventListener('abort', x.onAbort);
      x.reject(err);
    }
  }

  #clampTokens(tokens: number): number {
    if (!Number.isFinite(tokens) || tokens < 0) return 0;
    return Math.ceil(Math.min(tokens, this.tpm));
  }

  #lease(id: string): Required<RateLimitLease> {
    let released = false;
    return {
      cancel: (): void => {
        if (released) return;
        released = true;
        // Fire and forget, as a release; a lost one is recovered by the lease expiry (counted longer, never shorter).
        this.#redis
          .evalgateRlCancel(...this.#keys, id)
          .catch(() => {})
          .finally(() => this.#wake?.());
      },
      release: (actualTokens?: number): void => {
        if (released) return;
        released = true;
        const used =
          actualTokens !== undefined && Number.isFinite(actualTokens) && actualTokens >= 0
            ? Math.ceil(actualTokens)
            : -1;
        // Fire and forget: the caller's response must not wait on bookkeeping. A lost release is recovered
        // by the lease expiry, which only ever counts the request longer, never shorter.
        this.#redis
          .evalgateRlRelease(...this.#keys, id, used, this.windowMs, this.leaseMs)
          .catch(() => {})
          .finally(() => this.#wake?.());
      },
    };
  }

  async #attempt(tokens: number): Promise<{ id?: string; wait: number }> {
    const id = `${this.#me}.${this.#seq++}`;
    const [ok, wait, requests, counted] = await this.#redis.evalgateRlAcquire(
      ...this.#keys,
      limitArg(this.rpm),
      limitArg(this.tpm),
      this.windowMs,
      this.leaseMs,
      tokens,
      id,
    );
    this.#last = { requests, tokens: counted };
    return ok === 1 ? { id, wait: 0 } : { wait };
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = () => {
        this.#wake = undefined;
        if (this.#sleepTimer !== undefined) clearTimeout(this.#sleepTimer);
        this.#sleepTimer = undefined;
        resolve();
      };
      this.#sleepTimer = setTimeout(
        () => this.#wake?.(),
        Math.max(1, Math.min(ms, this.windowMs, _MAX_TIMER_MS)),
      );
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    const waiters = this.#waiters;
    try {
      while (waiters.length > 0 && !this.#closed) {
        const w = waiters[0]!;
        let got: { id?: string; wait: number };
        try {
          got = await this.#attempt(w.tokens);
        } catch (err) {
          // Redis is unreachable: every waiter fails with the cause rather than hanging.
          this.#failAll(err);
          return;
        }
        if (got.id !== undefined) {
          if (waiters[0] === w) {
            waiters.shift();
            if (w.signal && w.onAbort) w.signal.removeEventListener('abort', w.onAbort);
            w.resolve(this.#lease(got.id));
          } else this.#lease(got.id).cancel(); // it was aborted while we asked: give the slot back
          continue;
        }
        await this.#sleep(got.wait);
      }
    } finally {
      this.#pumping = false;
    }
  }
}
