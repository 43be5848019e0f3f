/**
 * The Redis connection of the Redis-backed parts (cache, rate limiter, cluster), from a `url` or an open
 * ioredis connection, and the one rule that hides a connection URL's secrets in every message. ioredis is an
 * optional peer dependency, loaded on first use.
 * @module
 */
import { createRequire } from 'node:module';
import type { Redis } from 'ioredis';
import { _describe } from './describe.js';
import { _MAX_TIMER_MS } from './maxTimerMs.js';

/**
 * `url` as it may be shown: the password (and an ACL user's secret, which is the password field too) replaced
 * by `***`; the user name, host, port and database stay, so a message still says where. Text that is not a
 * URL is shown as `<redis url>` — it may be a password typed in the wrong place.
 *
 * Invariant (property-tested): for any URL `redis://user:secret@host`, the output contains `secret` only where
 * it also occurs in the user name, host, port or path.
 * @example
 * ```ts
 * _redactUrl('redis://app:s3cret@10.0.0.5:6379/2');
 * // => 'redis://app:***@10.0.0.5:6379/2'
 * ```
 * @internal
 */
export function _redactUrl(url: unknown): string {
  if (typeof url !== 'string') return '<redis url>';
  // A hand parse, not `new URL`: it must hide the secret even in a URL that WHATWG refuses (a password with
  // `#` or `/` unescaped, a port out of range), and it must never echo back what it cannot place.
  const m = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(url);
  if (m === null) return '<redis url>';
  const [, scheme, rest] = m as unknown as [string, string, string];
  // The userinfo ends at the LAST `@` (a password may hold `@`); a `@` after it cannot belong to the host.
  const at = rest.lastIndexOf('@');
  if (at < 0) return `${scheme}${rest}`.replace(/[?#].*$/s, (q) => redactQuery(q));
  const userinfo = rest.slice(0, at);
  const host = rest.slice(at + 1).replace(/[?#].*$/s, (q) => redactQuery(q));
  const colon = userinfo.indexOf(':');
  const user = colon < 0 ? '' : userinfo.slice(0, colon);
  // `redis://secret@host` is ioredis's password-only form: everything before `@` is secret then.
  return `${scheme}${user === '' ? '' : `${user}:`}***@${host}`;
}

/** Query parameters of a URL with every value hidden (`?password=...` is a form some clients accept). */
function redactQuery(q: string): string {
  return q.replace(/=[^&#]*/g, '=***');
}

/** Every occurrence of `url` in `text` replaced by its redacted form (a message built by a dependency). */
export function _redactIn(text: string, url: string): string {
  const safe = _redactUrl(url);
  let out = text.split(url).join(safe);
  // The password alone (ioredis's AUTH errors, a user's echo) is hidden as well, as written and decoded.
  for (const secret of _secretsOf(url)) out = out.split(secret).join('***');
  return out;
}

/** The password part of a connection URL as written and percent-decoded (longest first), or none. */
function _secretsOf(url: string): string[] {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([\s\S]*)@/i.exec(url);
  if (m === null) return [];
  const userinfo = m[1] ?? '';
  const colon = userinfo.indexOf(':');
  const raw = colon < 0 ? userinfo : userinfo.slice(colon + 1);
  if (raw === '') return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {}
  return [...new Set([raw, decoded])].sort((a, b) => b.length - a.length);
}

/** How an owned connection behaves on a fault. */
export interface _RedisBehaviour {
  /** Connect timeout of one attempt, ms. @default 5000 */
  readonly connectTimeoutMs?: number;
  /** Reconnect attempts before ioredis gives up (every queued command then fails); `Infinity` never. @default 20 */
  readonly maxReconnects?: number;
  /** Attempts per command across reconnects; `null` waits for the connection (BullMQ's blocking reads). @default 3 */
  readonly maxRetriesPerRequest?: number | null;
}

/**
 * ioredis options that bound every wait: a connect timeout, a capped back-off between reconnects, a last
 * reconnect after which queued commands fail, and no offline queue growth past that.
 * @internal
 */
export function _boundedRedisOptions(behaviour: _RedisBehaviour = {}): {
  connectTimeout: number;
  maxRetriesPerRequest: number | null;
  retryStrategy: (times: number) => number | null;
} {
  const maxReconnects = behaviour.maxReconnects ?? 20;
  return {
    connectTimeout: behaviour.connectTimeoutMs ?? 5000,
    maxRetriesPerRequest: behaviour.maxRetriesPerRequest === undefined ? 3 : behaviour.maxRetriesPerRequest,
    retryStrategy: (times: number) => (times > maxReconnects ? null : Math.min(50 * 2 ** times, 1000)),
  };
}

/**
 * A new ioredis connection to `url` with {@link _boundedRedisOptions}, whose `error` events are kept (the
 * last one is `lastError`) instead of printed: ioredis prints a stack for every reconnect attempt of a
 * connection that has no `error` listener.
 * @internal
 */
export function _openRedis(url: string, behaviour: _RedisBehaviour = {}): Redis & { lastError?: Error } {
  // Loaded on first use: ioredis is an optional peer dependency, needed only by the Redis-backed parts.
  const { Redis: IORedis } = createRequire(import.meta.url)('ioredis') as typeof import('ioredis');
  const redis = new IORedis(url, _boundedRedisOptions(behaviour)) as Redis & { lastError?: Error };
  redis.on('error', (err: Error) => {
    redis.lastError = err;
  });
  return redis;
}

/**
 * The connection of a Redis-backed object from its `url` / `connection` option (ioredis, loaded from the
 * optional peer dependency).
 * @internal
 */
export function _redisOf(
  where: string,
  options: { readonly url?: string; readonly connection?: object },
): Redis {
  if (options.connection !== undefined) {
    if (options.connection === null || typeof (options.connection as Redis).defineCommand !== 'function')
      throw new TypeError(
        `Expected \`${where}.connection\` to be an ioredis connection, got ${_describe(options.connection)}`,
      );
    return options.connection as Redis;
  }
  if (typeof options.url !== 'string' || !/^rediss?:\/\//.test(options.url))
    throw new TypeError(
      `Expected \`${where}.url\` to be a redis:// URL (or \`${where}.connection\` an ioredis connection), got ${typeof options.url === 'string' ? `"${_redactUrl(options.url)}" (string)` : _describe(options.url)}`,
    );
  return _openRedis(options.url);
}

/**
 * Resolves once `redis` answers PING, or rejects after `ms` with the last connection error (ECONNREFUSED,
 * WRONGPASS, a TLS failure) as the cause. An `ms` past {@link _MAX_TIMER_MS} is not timed.
 * @internal
 */
export async function _pingWithin(redis: Redis & { lastError?: Error }, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    if (ms <= _MAX_TIMER_MS)
      timer = setTimeout(
        () =>
          reject(
            redis.lastError ?? new Error(`no answer to PING within ${ms} ms (connection ${redis.status})`),
          ),
        ms,
      );
  });
  try {
    await Promise.race([redis.ping(), timeout]);
  } catch (err) {
    // A refused AUTH surfaces as an error event first, then as NOAUTH or a closed connection: report the first.
    throw redis.lastError !== undefined &&
      (_isAuthError(redis.lastError) || /MaxRetries|Connection is closed/.test(String(err)))
      ? redis.lastError
      : err;
  } finally {
    clearTimeout(timer);
  }
}

/** True for Redis refusing the credentials (a wrong password or ACL user): waiting does not fix it. @internal */
export function _isAuthError(err: unknown): boolean {
  return /WRONGPASS|NOAUTH|NOPERM|invalid password|invalid username/i.test(String((err as Error)?.message));
}

/** True for an error of the Redis connection (as opposed to one of the run's own data). @internal */
export function _isConnectionError(err: unknown): boolean {
  const e = err as { name?: unknown; code?: unknown; message?: unknown } | undefined;
  return (
    /^(MaxRetriesPerRequestError|ReplyError|AbortError)$/.test(String(e?.name)) ||
    /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOTFOUND|NR_CLOSED)$/.test(String(e?.code)) ||
    /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|ECONNREFUSED|ECONNRESET|LOADING|NOAUTH|WRONGPASS/.test(
      String(e?.message),
    )
  );
}

/**
 * `p`, or a rejection with `err()` once `ms` have passed; `p` itself for an `ms` past {@link _MAX_TIMER_MS}.
 * @internal
 */
export function _within<T>(p: Promise<T>, ms: number, err: () => Error): Promise<T> {
  if (!(ms <= _MAX_TIMER_MS)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([
    p,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(err()), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
