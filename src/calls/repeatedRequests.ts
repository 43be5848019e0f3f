/**
 * The identical requests of one phase of one row.
 * @module
 */

/**
 * The places of a row's identical requests: the n-th identical request of a phase of a row is its own call and
 * cache entry, as it is its own request without a cache (a self-consistency sample, a judge averaged over calls,
 * a loop asking until the answer parses, a poll reading until a status changes), and a rerun making them in the
 * same order is answered from the same entries. A call that fails gives its place back, and the identical
 * request made after it (a retry by the pipeline, or by the AI SDK) takes it: a rerun, whose first call is then
 * answered, finds the entry the retry wrote rather than look for one the failed call never wrote.
 */
export class RepeatedRequests {
  /** The first key asked for, and how often: most rows make one request (no map for them). */
  #firstKey: string | undefined = undefined;
  #firstMade = 0;
  /** Every other key, and how often it was asked for. */
  #made: Map<string, number> | undefined = undefined;
  /** Places given back by failed calls, by key (made when a call fails). */
  #free: Map<string, number[]> | undefined = undefined;

  /** The place of a request with cache key `key` among the identical requests of its phase: 0 for the first. */
  take(key: string): number {
    const free = this.#free?.get(key);
    if (free !== undefined && free.length > 0) {
      let at = 0;
      for (let i = 1; i < free.length; i++) if ((free[i] as number) < (free[at] as number)) at = i;
      return free.splice(at, 1)[0] as number;
    }
    if (this.#firstKey === undefined) this.#firstKey = key;
    if (key === this.#firstKey) return this.#firstMade++;
    this.#made ??= new Map();
    const n = this.#made.get(key) ?? 0;
    this.#made.set(key, n + 1);
    return n;
  }

  /** Gives `place` of `key` back: its call failed, and wrote no entry. */
  giveBack(key: string, place: number): void {
    this.#free ??= new Map();
    const free = this.#free.get(key);
    if (free === undefined) this.#free.set(key, [place]);
    else free.push(place);
  }
}
