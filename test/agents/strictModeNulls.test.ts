// OpenAI's strict mode (structured outputs for tools) makes every parameter required and sends null for an optional
// one the model did not give: { city: 'Paris', unit: null }. matchToolArguments took that null as a passed value, so
// an `$optional` expectation failed ('unit: expected one of ["C"]') and so did a parameter the expectation does not
// name (with allowExtraArguments false): a right call scored 0. null is now an omission where omission is allowed.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { matchToolArguments, toolArgumentsScore } from '../../src/agents/index.js';

describe('null for an optional parameter (OpenAI strict mode)', () => {
  it('is an omission for an $optional parameter and for one the expectation does not name', () => {
    const want = { city: 'Paris', unit: { $anyOf: ['C'], $optional: true } };
    expect(matchToolArguments({ city: 'Paris', unit: null }, want)).toEqual({ ok: true });
    expect(matchToolArguments({ city: 'Paris', days: null }, { city: 'Paris' })).toEqual({ ok: true });
    expect(
      toolArgumentsScore(
        [{ name: 'weather', arguments: '{"city":"Paris","unit":null}' }],
        [{ name: 'weather', arguments: want }],
      ).score,
    ).toBe(1);
  });

  it('is still a value where one is required: a required parameter given null fails, an expected null matches', () => {
    expect(matchToolArguments({ city: null }, { city: 'Paris' })).toMatchObject({ ok: false });
    expect(matchToolArguments({ city: 'Paris', unit: null }, { city: 'Paris', unit: null })).toEqual({
      ok: true,
    });
    // A value other than null for an optional parameter is still checked.
    expect(
      matchToolArguments(
        { city: 'Paris', unit: 'F' },
        { city: 'Paris', unit: { $anyOf: ['C'], $optional: true } },
      ),
    ).toMatchObject({
      ok: false,
    });
  });

  it('property: adding nulls for optional and unnamed parameters never changes a verdict (seeded)', () => {
    const value = fc.oneof(fc.string({ maxLength: 4 }), fc.integer({ min: -3, max: 3 }), fc.boolean());
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('a', 'b', 'c'), value, { maxKeys: 3 }),
        fc.dictionary(fc.constantFrom('x', 'y'), value, { maxKeys: 2 }),
        fc.constantFrom('x', 'y', 'z'),
        (required, optional, extra) => {
          const want = {
            ...required,
            ...Object.fromEntries(
              Object.entries(optional).map(([k, v]) => [k, { $anyOf: [v], $optional: true }]),
            ),
          };
          const given = { ...required };
          const withNulls = {
            ...required,
            ...Object.fromEntries(Object.keys(optional).map((k) => [k, null])),
          };
          if (!(extra in want)) Object.assign(withNulls, { [extra]: null });
          expect(matchToolArguments(withNulls, want)).toEqual(matchToolArguments(given, want));
        },
      ),
      { seed: 4247, numRuns: 300 },
    );
  });
});
