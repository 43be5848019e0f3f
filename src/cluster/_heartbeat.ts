/**
 * The coordinator's heartbeat: a short-lived `alive` key that workers check (a run whose coordinator is gone is
 * abandoned within seconds), and the renewal of every key of the run (so a dead coordinator leaves nothing
 * stored for long). The renewal of the spec answering 0 means Redis no longer holds the run's keys.
 * @module
 */
import type { Redis } from 'ioredis';
import { _MAX_TIMER_MS } from '../_internal/maxTimerMs.js';
import type { _runKeys } from './_protocol.js';

/** What the heartbeat reports. */
export interface _HeartbeatEvents {
  /** Redis answered but the run's spec is gone (restarted without persistence, flushed, evicted). */
  readonly onReset: () => void;
  /** Redis failed every renewal for longer than `failAfterMs`. */
  readonly onLost: (cause: unknown) => void;
}

/** Renews the run's `alive` key every fifth of `heartbeatMs` and the expiry of its keys, until `stop()`. */
export class _Heartbeat {
  readonly #redis: Redis;
  readonly #keys: ReturnType<typeof _runKeys>;
  readonly #heartbeatMs: number;
  readonly #keyTtlMs: number;
  readonly #failAfterMs: number;
  readonly #events: _HeartbeatEvents;
  readonly #timer: ReturnType<typeof setInterval>;
  #beating = false;
  #lastOk = Date.now();
  #stopped = false;

  constructor(
    redis: Redis,
    keys: ReturnType<typeof _runKeys>,
    timing: { readonly heartbeatMs: number; readonly keyTtlMs: number; readonly failAfterMs: number },
    events: _HeartbeatEvents,
  ) {
    this.#redis = redis;
    this.#keys = keys;
    this.#heartbeatMs = timing.heartbeatMs;
    this.#keyTtlMs = timing.keyTtlMs;
    this.#failAfterMs = timing.failAfterMs;
    this.#events = events;
    this.#timer = setInterval(
      () => this.#tick(),
      Math.min(_MAX_TIMER_MS, Math.max(100, Math.floor(timing.heartbeatMs / 5))),
    );
  }

  /** Stops renewing (the run is over: its keys are deleted, or expire). Idempotent. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
  }

  #tick(): void {
    if (this.#beating || this.#stopped) return;
    this.#beating = true;
    this.#beat()
      .catch((err) => {
        if (!this.#stopped && Date.now() - this.#lastOk > this.#failAfterMs) this.#events.onLost(err);
      })
      .finally(() => {
        this.#beating = false;
      });
  }

  async #beat(): Promise<void> {
    const k = this.#keys;
    const res = await this.#redis
      .multi()
      .set(k.alive, '1', 'PX', this.#heartbeatMs)
      .pexpire(k.spec, this.#keyTtlMs)
      .pexpire(k.stream, this.#keyTtlMs)
      .pexpire(k.done, this.#keyTtlMs)
      .pexpire(k.requests, this.#keyTtlMs)
      .exec();
    this.#lastOk = Date.now();
    if (!this.#stopped && res?.[1]?.[1] === 0) this.#events.onReset();
  }
}
