/**
 * What a call follows to know it must stop, without making an `AbortSignal` until something needs one: an
 * AbortSignal and its listeners cost tens of microseconds a call in Node 20 (measured: three of them per live
 * call were a quarter of what the runtime added to a request at concurrency 256), and most calls end without
 * anyone aborting them. A row's lease, a call's attempt and a call's waits are notices; their `signal` is made
 * when first read, and a sender that only needs to be told (the request router joins it at the client's fetch)
 * registers a listener instead.
 * @module
 */

/** An abort that may happen: whether it did, why, a listener for when it does, and its signal when asked. */
export interface AbortNotice {
  readonly aborted: boolean;
  readonly reason: unknown;
  /**
   * Calls `listener(reason)` once when it aborts (at once, synchronously, if it has); returns what removes it.
   */
  onAbort(listener: (reason: unknown) => void): () => void;
  /** An AbortSignal that aborts with it, made when first read. */
  readonly signal: AbortSignal;
}

const NOTHING = () => {};

/**
 * A notice that aborts when told to ({@link AbortSource.abort}); the first reason stays. Listeners are kept in
 * an array (one call has one or two); the signal is made when first read.
 * @internal
 */
export class AbortSource implements AbortNotice {
  #aborted = false;
  #reason: unknown;
  #listeners: ((reason: unknown) => void)[] | undefined;
  #controller: AbortController | undefined;

  get aborted(): boolean {
    return this.#aborted;
  }

  get reason(): unknown {
    return this.#reason;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort(this.#reason);
    }
    return this.#controller.signal;
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason);
      return NOTHING;
    }
    if (this.#listeners === undefined) this.#listeners = [listener];
    else this.#listeners.push(listener);
    return () => {
      const listeners = this.#listeners;
      if (listeners === undefined) return;
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    };
  }

  /** Aborts with `reason`: the signal (if made) first, then each listener once, in the order they were added. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#reason = reason;
    this.#controller?.abort(reason);
    const listeners = this.#listeners;
    this.#listeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener(reason);
  }
}

/** An AbortSignal seen as a notice. */
class SignalNotice implements AbortNotice {
  constructor(readonly signal: AbortSignal) {}

  get aborted(): boolean {
    return this.signal.aborted;
  }

  get reason(): unknown {
    return this.signal.reason;
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    const signal = this.signal;
    if (signal.aborted) {
      listener(signal.reason);
      return NOTHING;
    }
    const onAbort = () => listener(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    return () => signal.removeEventListener('abort', onAbort);
  }
}

/**
 * What a call may be given to follow: an AbortSignal, a notice, or an object that makes its signal when read
 * (a row's scope) and may offer a notice instead.
 */
export type SignalSource =
  | AbortSignal
  | AbortNotice
  | { readonly signal: AbortSignal; readonly notice?: AbortNotice };

/**
 * The notice of a source: itself when it is one, the notice it offers, else its signal (read now) as a notice.
 * @example
 * ```ts
 * const notice = noticeOf(AbortSignal.timeout(1000));
 * notice.onAbort((reason) => console.log('stopped', reason));
 * ```
 * @internal
 */
export function noticeOf(source: SignalSource): AbortNotice {
  if (source instanceof AbortSignal) return new SignalNotice(source);
  if ('onAbort' in source) return source;
  return source.notice ?? new SignalNotice(source.signal);
}
