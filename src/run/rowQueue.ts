/**
 * The rows of a run waiting for a slot, and the slots: at most `concurrency` rows run at once, the others wait in
 * order of arrival. A row starts as soon as it is added if a slot is free, and the next waiting row as soon as
 * one ends. What a run needs of a queue and nothing more (no priorities, events or per-task promises): a row of
 * an in-process model costs only a few microseconds, and a general-purpose queue costs as much again.
 * @module
 */

/**
 * A FIFO of items run by `start`, at most `concurrency` at once.
 * @example
 * ```ts
 * const q = new RowQueue<number>(2, async (n) => void console.log(n));
 * q.add(1); q.add(2); q.add(3);
 * await q.onIdle(); // logs 1, 2, 3
 * ```
 */
export class RowQueue<T> {
  readonly #concurrency: number;
  readonly #start: (item: T) => Promise<void>;
  #waiting: T[] = [];
  /** Index of the first waiting item in `#waiting` (taken items before it are dropped in bulk). */
  #head = 0;
  #running = 0;
  #idle: (() => void)[] = [];
  #below: { readonly limit: number; readonly resolve: () => void }[] = [];
  readonly #ended = (): void => {
    this.#running--;
    this.#next();
  };

  /** `start(item)` must not reject: a queue has no one to tell. */
  constructor(concurrency: number, start: (item: T) => Promise<void>) {
    this.#concurrency = concurrency;
    this.#start = start;
  }

  /** Items waiting for a slot (not those running). */
  get size(): number {
    return this.#waiting.length - this.#head;
  }

  /** Items running now. */
  get running(): number {
    return this.#running;
  }

  /** Runs `item` now if a slot is free, else after the items added before it. */
  add(item: T): void {
    if (this.#running < this.#concurrency && this.size === 0) this.#run(item);
    else this.#waiting.push(item);
  }

  /** Drops every waiting item (running ones finish). */
  clear(): void {
    this.#waiting = [];
    this.#head = 0;
    this.#settle();
  }

  /** Resolves once fewer than `limit` items wait. */
  onSizeLessThan(limit: number): Promise<void> {
    if (this.size < limit) return Promise.resolve();
    return new Promise((resolve) => this.#below.push({ limit, resolve }));
  }

  /** Resolves once nothing waits and nothing runs. */
  onIdle(): Promise<void> {
    if (this.size === 0 && this.#running === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  #run(item: T): void {
    this.#running++;
    this.#start(item).then(this.#ended, this.#ended);
  }

  #next(): void {
    while (this.#running < this.#concurrency && this.size > 0) {
      const item = this.#waiting[this.#head] as T;
      this.#waiting[this.#head++] = undefined as T;
      if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
        this.#waiting = this.#waiting.slice(this.#head);
        this.#head = 0;
      }
      this.#run(item);
    }
    this.#settle();
  }

  /** Resolves the waits whose condition now holds. */
  #settle(): void {
    if (this.#below.length > 0) {
      const size = this.size;
      const still = this.#below.filter((w) => size >= w.limit);
      if (still.length < this.#below.length) {
        const met = this.#below.filter((w) => size < w.limit);
        this.#below = still;
        for (const w of met) w.resolve();
      }
    }
    if (this.#idle.length > 0 && this.size === 0 && this.#running === 0) {
      const idle = this.#idle;
      this.#idle = [];
      for (const resolve of idle) resolve();
    }
  }
}
