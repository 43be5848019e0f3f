/**
 * evalgate's version, recorded in every result. Kept in step with package.json by a test.
 * @example
 * ```ts
 * result.run.evalgateVersion === VERSION; // => true for a result this version wrote
 * ```
 */
export const VERSION = '0.1.0';
