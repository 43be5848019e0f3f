/**
 * Deterministic fault decisions: a uniform draw from SHA-256 of (seed, key), mapped onto cumulative rates.
 * @module
 */
import { createHash } from 'node:crypto';
import { _describe } from '../_internal/describe.js';
import type { MockFault, MockFaultRates, MockFaultType } from './types.js';

/** A fault with its parameters resolved. */
export interface _ResolvedFault {
  readonly type: MockFaultType;
  readonly retryAfterMs: number | undefined;
  readonly status: number | undefined;
  readonly message: string | undefined;
}

/** The order in which rates partition [0, 1). */
const _ORDER: readonly [keyof MockFaultRates, MockFaultType][] = [
  ['rate429', '429'],
  ['rate500', '500'],
  ['rateHang', 'hang'],
  ['rateMalformed', 'malformed'],
  ['rateDisconnect', 'disconnect'],
];

/** Uniform number in [0, 1) from the first 48 bits of SHA-256(`seed` NUL `key`). */
export function _uniform(seed: number | string, key: string): number {
  const digest = createHash('sha256')
    .update(`${typeof seed}:${seed}\u0000${key}`)
    .digest();
  return digest.readUIntBE(0, 6) / 2 ** 48;
}

/** The fault whose cumulative-rate interval contains `u`, if any. */
export function _faultFromRates(rates: MockFaultRates, u: number): MockFaultType | undefined {
  let cumulative = 0;
  for (const [field, type] of _ORDER) {
    cumulative += (rates[field] as number | undefined) ?? 0;
    if (u < cumulative) return type;
  }
  return undefined;
}

/** Sum of the configured rates. */
export function _rateSum(rates: MockFaultRates): number {
  let sum = 0;
  for (const [field] of _ORDER) sum += (rates[field] as number | undefined) ?? 0;
  return sum;
}

/** The rate fields, for validation. */
export const _RATE_FIELDS: readonly (keyof MockFaultRates)[] = _ORDER.map(([field]) => field);

/**
 * Decides the seeded fault of one request. With `keyBy: 'index'` the key is the arrival index; with
 * `keyBy: 'body'` or `faultOnce` it is the body hash and attempt, and `faultOnce` spares attempts after the first.
 */
export function _decideRateFault(
  rates: MockFaultRates,
  index: number,
  bodyHash: string,
  attempt: number,
): MockFaultType | undefined {
  if (rates.faultOnce === true && attempt > 0) return undefined;
  const byBody = rates.keyBy === 'body' || rates.faultOnce === true;
  const key = byBody ? `body:${bodyHash}:${attempt}` : `index:${index}`;
  return _faultFromRates(rates, _uniform(rates.seed ?? 0, key));
}

const _TYPES: readonly MockFaultType[] = _ORDER.map(([, type]) => type);

/**
 * Resolves the shorthand string form, checking what user code returned (a fault function, `faults.decide`, an
 * answer's `fault`): an unknown type would otherwise leave the request unanswered, and a status outside
 * [500, 599] would send a 200 or 404 carrying an error body. Throws an Error naming the field, which the server
 * answers as a 500 `mock_function_error`.
 */
export function _resolveFault(fault: MockFault): _ResolvedFault {
  const bad = (what: string, value: unknown) =>
    new Error(`The fault returned by an option function has ${what}, got ${_describe(value)}`);
  const object = fault !== null && typeof fault === 'object';
  const type: unknown = object ? fault.type : fault;
  if (!_TYPES.includes(type as MockFaultType))
    throw bad(`a \`type\` that is not one of ${_TYPES.map((t) => `'${t}'`).join(', ')}`, type);
  if (!object)
    return { type: type as MockFaultType, retryAfterMs: undefined, status: undefined, message: undefined };
  const { retryAfterMs, status, message } = fault;
  if (retryAfterMs !== undefined && !(Number.isFinite(retryAfterMs) && retryAfterMs >= 0))
    throw bad('a `retryAfterMs` that is not a finite number >= 0', retryAfterMs);
  if (status !== undefined && !(Number.isInteger(status) && status >= 500 && status <= 599))
    throw bad('a `status` that is not an integer in [500, 599]', status);
  if (message !== undefined && typeof message !== 'string')
    throw bad('a `message` that is not a string', message);
  return { type: fault.type, retryAfterMs, status, message };
}

/** Canonical JSON: object keys sorted, so equal bodies hash equally whatever their key order. */
export function _canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(_canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  const parts: string[] = [];
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (v === undefined) continue;
    parts.push(`${JSON.stringify(k)}:${_canonicalJson(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** SHA-256 hex of the canonical JSON of a body. */
export function _bodyHash(body: unknown): string {
  return createHash('sha256').update(_canonicalJson(body)).digest('hex');
}
