// Properties of the pure agent scores: bounds for any input, a perfect trajectory scores 1, order-free groups
// are order-free, argument matching ignores key order. Tool names include those of Object.prototype.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchToolArguments,
  toolArgumentsScore,
  toolOrderScore,
  toolSelectionScore,
} from '../../src/agents/index.js';
import { check } from '../properties/_prop.js';

const name = fc.constantFrom(
  'search',
  'get_weather',
  'constructor',
  '__proto__',
  'toString',
  '',
  '猫',
  'e\u0301',
);
const names = fc.array(name, { maxLength: 8 });
const groups = fc.array(fc.oneof(name, fc.array(name, { maxLength: 3 })), { maxLength: 6 });
const inUnit = (x: number) => x >= 0 && x <= 1;

describe('agent score properties', () => {
  it('toolSelectionScore: ratios in [0, 1], 1 on equal multisets', () => {
    check(
      'toolSelection bounds',
      500,
      fc.property(names, names, (c, e) => {
        const s = toolSelectionScore(c, e);
        expect(inUnit(s.precision) && inUnit(s.recall) && inUnit(s.f1)).toBe(true);
        expect(toolSelectionScore(e, [...e].reverse()).f1).toBe(1);
      }),
    );
  });

  it('toolOrderScore: in [0, 1]; 1 on any flattening of the groups with each group permuted', () => {
    check(
      'toolOrder bounds and groups',
      500,
      fc.property(names, groups, fc.integer(), (c, g, seed) => {
        const s = toolOrderScore(c, g);
        expect(inUnit(s.score)).toBe(true);
        const perfect = g.flatMap((x, i) => {
          if (typeof x === 'string') return [x];
          const copy = [...x];
          // a seeded rotation of the group
          const k = copy.length === 0 ? 0 : Math.abs(seed + i) % copy.length;
          return [...copy.slice(k), ...copy.slice(0, k)].reverse();
        });
        expect(toolOrderScore(perfect, g).score).toBe(1);
        expect(toolOrderScore(c, g).lcs).toBeLessThanOrEqual(Math.min(c.length, g.flat().length));
      }),
    );
  });

  const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      fc.string(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom('a', 'b', 'constructor', 'toString', 'x y'), tie('value'), {
        maxKeys: 3,
      }),
    ),
  })).value;

  it('matchToolArguments: an argument object matches itself and itself with keys reordered', () => {
    check(
      'arguments self-match',
      500,
      fc.property(
        fc.dictionary(fc.constantFrom('city', 'constructor', 'toString', 'n', 'd'), json),
        (args) => {
          const reordered = Object.fromEntries(Object.entries(args).reverse());
          expect(matchToolArguments(args, args)).toEqual({ ok: true });
          expect(matchToolArguments(reordered, args)).toEqual({ ok: true });
          const calls = [{ name: 'f', arguments: args }];
          expect(toolArgumentsScore(calls, [{ name: 'f', arguments: reordered }]).score).toBe(1);
        },
      ),
    );
  });
});
