/**
 * For tests of waits that must end: a promise's value, or {@link HUNG} when it has not settled in time, so that a
 * hang fails an assertion that says what did not end (and stops waiting), not the test's timeout.
 */

/** What {@link within} gives for a promise that has not settled in time. */
export const HUNG: unique symbol = Symbol('hung');

/** `p`'s value, or {@link HUNG} when it has not settled within `ms` (a rejection rejects). */
export function within<T>(p: Promise<T>, ms = 5_000): Promise<T | typeof HUNG> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<typeof HUNG>((resolve) => {
    timer = setTimeout(() => resolve(HUNG), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}
