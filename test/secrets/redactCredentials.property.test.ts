// The redaction of user data a result records (a metric's definition): a credential under
// a field named like one never survives, whatever its shape or depth; data without one comes back as the same
// object, untouched (frozen inputs pass).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _isCredentialField, _redactCredentials } from '../../src/_internal/redactSecrets.js';

const CREDENTIAL_FIELDS = [
  'apiKey',
  'api_key',
  'x-api-key',
  'password',
  'authToken',
  'access_token',
  'secret',
  'credentials',
  'subscriptionKey',
  'refresh_token',
  'clientSecret',
];
const DATA_FIELDS = [
  'key',
  'token',
  'signature',
  'maxTokens',
  'api_key_ids',
  'author',
  'topic',
  'keyword',
  'id',
  'sortKey',
  'primaryKey',
  'eos_token',
  'nextToken',
];

/** Plain words: no field name or value a credential's. */
const word = fc.string({ unit: fc.constantFrom(...'abcdefgh '.split('')), maxLength: 12 });
const plain: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    word,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom(...DATA_FIELDS), tie('value'), { maxKeys: 3 }),
  ),
})).value;

const secretArb = fc
  .string({ unit: fc.constantFrom(...'0123456789abcdefXYZ'.split('')), minLength: 12, maxLength: 40 })
  .map((s) => `LEAK${s}`);

/** `data` with `field: secret` put at the path `path` picks (objects only; arrays are walked into). */
function plant(data: unknown, field: string, secret: unknown, path: readonly number[]): unknown {
  if (path.length > 0 && data !== null && typeof data === 'object') {
    const entries = Array.isArray(data) ? data.map((v, i) => [i, v] as const) : Object.entries(data);
    if (entries.length > 0) {
      const [k, v] = entries[path[0]! % entries.length]!;
      const copy = (Array.isArray(data) ? [...data] : { ...data }) as Record<string | number, unknown>;
      copy[k] = plant(v, field, secret, path.slice(1));
      return copy;
    }
  }
  if (data !== null && typeof data === 'object' && !Array.isArray(data)) return { ...data, [field]: secret };
  return { value: data, [field]: secret };
}

function deepFreeze<T>(x: T): T {
  if (x !== null && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

describe('_redactCredentials', () => {
  it('hides a credential under a credential-named field at any depth, in any shape', () => {
    fc.assert(
      fc.property(
        plain,
        fc.constantFrom(...CREDENTIAL_FIELDS),
        fc.oneof(
          secretArb,
          secretArb.map((s) => ({ nested: s })),
          secretArb.map((s) => [s]),
        ),
        fc.array(fc.nat(), { maxLength: 4 }),
        (data, field, secret, path) => {
          const planted = deepFreeze(plant(data, field, secret, path));
          const text = JSON.stringify(_redactCredentials(planted));
          expect(text).not.toMatch(/LEAK/);
        },
      ),
      { seed: 40, numRuns: 300 },
    );
  });

  it('gives data without credentials back as the same object, and never changes its input', () => {
    fc.assert(
      fc.property(plain, (data) => {
        const frozen = deepFreeze(data);
        const before = JSON.stringify(frozen);
        expect(_redactCredentials(frozen)).toBe(frozen);
        expect(JSON.stringify(frozen)).toBe(before);
      }),
      { seed: 41, numRuns: 300 },
    );
  });

  it('keeps null, booleans and empty strings under credential names, and hides shaped secrets elsewhere', () => {
    expect(
      _redactCredentials({
        hasApiKey: false,
        password: null,
        token_secret: '',
        note: 'Bearer abcdefgh12345678',
      }),
    ).toEqual({ hasApiKey: false, password: null, token_secret: '', note: 'Bearer ***' });
  });
});

describe('_isCredentialField', () => {
  it.each(CREDENTIAL_FIELDS)('%s names a credential', (name) => expect(_isCredentialField(name)).toBe(true));
  it.each(DATA_FIELDS)('%s is data', (name) => expect(_isCredentialField(name)).toBe(false));
});
