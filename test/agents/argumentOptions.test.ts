// The boolean options of argument matching are checked, not read as truthy: `allowExtraArguments: 'false'`
// from a config file must not accept extra arguments.
import { describe, expect, it } from 'vitest';
import { matchToolArguments, toolArguments, toolArgumentsScore } from '../../src/agents/index.js';

describe('argument-matching options of the wrong type', () => {
  it.each([
    [
      { allowExtraArguments: 'false' },
      'Expected `allowExtraArguments` to be a boolean, got `"false"` (string)',
    ],
    [{ normalizeStrings: 0 }, 'Expected `normalizeStrings` to be a boolean, got `0` (number)'],
  ])('%o is a TypeError naming the option', (options, message) => {
    const o = options as never;
    expect(() => matchToolArguments({ city: 'Paris', days: 3 }, { city: 'Paris' }, o)).toThrow(
      new TypeError(message),
    );
    expect(() => toolArgumentsScore([], [], o)).toThrow(new TypeError(message));
    expect(() => toolArguments(o)).toThrow(new TypeError(message));
  });
});

describe('string normalization and Unicode forms', () => {
  it('a composed and a decomposed accent match when strings are normalized, and not when compared exactly', () => {
    const composed = { city: 'Besan\u00e7on', cafe: 'caf\u00e9' };
    const decomposed = { city: 'Besanc\u0327on', cafe: 'cafe\u0301' };
    expect(matchToolArguments(decomposed, composed)).toEqual({ ok: true });
    expect(matchToolArguments(composed, decomposed)).toEqual({ ok: true });
    expect(matchToolArguments(decomposed, composed, { normalizeStrings: false }).ok).toBe(false);
  });
});
