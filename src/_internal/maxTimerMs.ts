/**
 * The longest delay Node's timers honour, shared by every wait bounded by a user's number.
 * @module
 */

/**
 * The longest delay `setTimeout` honours, in ms (2^31 - 1, 24.8 days): a longer one fires after 1 ms. A bound
 * past it is not timed (it is as good as none); a sleep past it ends at it.
 * @internal
 */
export const _MAX_TIMER_MS = 2_147_483_647;
