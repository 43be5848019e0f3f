import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchToolArguments,
  toolArguments,
  toolArgumentsScore,
  toolErrorRecovery,
  toolErrorRecoveryScore,
  toolOrder,
  toolOrderScore,
  toolSelection,
  toolSelectionScore,
  trajectoryEfficiency,
  trajectoryEfficiencyScore,
} from '../../src/agents/index.js';
import type { Example, Metric, MetricScore } from '../../src/core/types.js';
import { trajectoryOf } from './_trajectories.js';

const FC = { seed: 23, numRuns: 300 } as const;
const rel = (got: number, want: number) => Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));

async function scoreOf(metric: Metric, example: Example, trajectory?: ReturnType<typeof trajectoryOf>) {
  const r = await metric.score({
    example,
    output: 'answer',
    signal: new AbortController().signal,
    ...(trajectory === undefined ? {} : { trajectory }),
  });
  return (typeof r === 'number' ? { value: r } : r) as MetricScore;
}

const toolName = fc.constantFrom('search', 'get_weather', 'convert', 'get_time', 'reply');
const names = fc.array(toolName, { maxLength: 12 });

/** Classic LCS, for the property that singleton groups reduce to it. */
function lcs(a: readonly string[], b: readonly string[]): number {
  const d = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = a[i - 1] === b[j - 1] ? d[i - 1]![j - 1]! + 1 : Math.max(d[i - 1]![j]!, d[i]![j - 1]!);
  return d[a.length]![b.length]!;
}

describe('toolSelectionScore', () => {
  it('the worked example of its TSDoc', () => {
    const s = toolSelectionScore(
      ['search', 'search', 'get_weather', 'convert'],
      ['search', 'get_weather', 'get_time'],
    );
    expect(s.matched).toBe(2);
    expect(s.precision).toBe(0.5);
    expect(rel(s.recall, 2 / 3)).toBe(true);
    expect(rel(s.f1, 4 / 7)).toBe(true);
    expect(Object.isFrozen(s)).toBe(true);
  });

  it.each([
    [[], [], 1, 1, 1],
    [['a'], [], 0, 1, 0],
    [[], ['a'], 1, 0, 0],
    [['a', 'a', 'a'], ['a', 'a'], 2 / 3, 1, 0.8],
  ])('edges: called %j, expected %j', (c, e, p, r, f) => {
    const s = toolSelectionScore(c, e);
    expect([s.precision, s.recall, s.f1].every((x, i) => rel(x, [p, r, f][i]!))).toBe(true);
  });

  it('properties: bounds, a permutation of the expected scores 1, swapping sides swaps P and R', () => {
    fc.assert(
      fc.property(names, names, (c, e) => {
        const s = toolSelectionScore(c, e);
        const t = toolSelectionScore(e, c);
        for (const x of [s.precision, s.recall, s.f1]) expect(x >= 0 && x <= 1).toBe(true);
        expect(s.precision).toBe(t.recall);
        expect(s.f1).toBe(t.f1);
        expect(toolSelectionScore([...e].reverse(), e).f1).toBe(1);
      }),
      FC,
    );
  });

  it('refuses non-string names', () => {
    expect(() => toolSelectionScore([1] as never, [])).toThrow(
      'Expected `called` to be an array of strings, got `array(1)` (array)',
    );
  });
});

describe('toolOrderScore', () => {
  it('the worked examples of its TSDoc: a free group forgives the swap', () => {
    const called = ['search', 'get_time', 'get_weather', 'convert'];
    const grouped = toolOrderScore(called, ['search', ['get_weather', 'get_time'], 'convert', 'reply']);
    expect(grouped.lcs).toBe(4);
    expect(rel(grouped.score, 8 / 9)).toBe(true);
    const strict = toolOrderScore(called, ['search', 'get_weather', 'get_time', 'convert', 'reply']);
    expect(strict.lcs).toBe(3);
    expect(rel(strict.score, 6 / 9)).toBe(true);
  });

  it.each([
    [[], [], 0, 1],
    [['a', 'b'], [], 0, 0],
    [['b', 'a'], ['a', 'b'], 1, 0.5],
    [['a', 'a', 'b'], [['a', 'b'], 'a'], 2, 2 / 3],
    [['b', 'a', 'a'], [['a', 'b'], 'a'], 3, 1],
    [['b', 'a', 'a'], ['a', ['a', 'b']], 2, 2 / 3],
  ] as const)('hand-computed: called %j, expected %j', (c, e, l, score) => {
    const s = toolOrderScore(c, e as never);
    expect(s.lcs).toBe(l);
    expect(rel(s.score, score)).toBe(true);
  });

  const groups = fc.array(fc.oneof(toolName, fc.array(toolName, { minLength: 1, maxLength: 3 })), {
    maxLength: 6,
  });

  it('properties: bounds, identity, singleton groups = classic LCS, one group = multiset F1, permutations inside groups', () => {
    fc.assert(
      fc.property(names, groups, fc.infiniteStream(fc.nat()), (c, e, rand) => {
        const s = toolOrderScore(c, e);
        const flat = e.flatMap((g) => (typeof g === 'string' ? [g] : g));
        expect(s.score >= 0 && s.score <= 1).toBe(true);
        expect(s.lcs <= Math.min(c.length, flat.length)).toBe(true);
        expect(toolOrderScore(flat, e).score).toBe(1);
        expect(toolOrderScore(c, flat).lcs).toBe(lcs(c, flat));
        expect(rel(toolOrderScore(c, [flat]).score, toolSelectionScore(c, flat).f1)).toBe(true);
        const it = rand[Symbol.iterator]();
        const shuffled = e.map((g) =>
          typeof g === 'string' ? g : [...g].sort(() => ((it.next().value as number) % 3) - 1),
        );
        expect(toolOrderScore(c, shuffled).lcs).toBe(s.lcs);
        const reversed = [...e].reverse().map((g) => (typeof g === 'string' ? g : [...g].reverse()));
        expect(toolOrderScore([...c].reverse(), reversed).lcs).toBe(s.lcs);
      }),
      FC,
    );
  });
});

describe('matchToolArguments / toolArgumentsScore', () => {
  it('the worked examples of their TSDoc', () => {
    expect(
      matchToolArguments(
        { city: 'paris', unit: 'C' },
        { city: { $anyOf: ['Paris', 'Paris, France'] }, unit: { $anyOf: ['C'], $optional: true } },
      ),
    ).toEqual({ ok: true });
    expect(matchToolArguments({ city: 'Paris', days: '3' }, { city: 'Paris', days: 3 })).toEqual({
      ok: false,
      reason: 'days: expected a number, got string "3"',
    });
    const s = toolArgumentsScore(
      [
        { name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'convert', arguments: { celsius: 18.2, to: 'F' } },
        { name: 'get_weather', arguments: { city: 'Lyon' } },
      ],
      [
        { name: 'get_weather', arguments: { city: 'paris' } },
        { name: 'convert', arguments: { celsius: 18, to: 'F' } },
        { name: 'get_weather', arguments: { city: 'Oslo' } },
      ],
      { numericTolerance: 0.05 },
    );
    expect(s).toEqual({
      matched: 2,
      expected: 3,
      score: 2 / 3,
      failures: ['get_weather #3: city: expected "Oslo", got "Paris"'],
    });
  });

  it.each([
    [{ city: 'Paris' }, { city: 'Paris', unit: { $anyOf: ['C'], $optional: true } }, true, {}],
    [{}, { city: { $any: true } }, 'city: missing', {}],
    [{ city: 'X' }, { city: { $any: true } }, true, {}],
    [{ city: 'Paris', extra: 1 }, { city: 'Paris' }, 'extra: unexpected argument', {}],
    [{ city: 'Paris', extra: 1 }, { city: 'Paris' }, true, { allowExtraArguments: true }],
    [{ d: 'April 1, 2024' }, { d: 'april 1 2024' }, true, {}],
    [
      { d: 'April 1, 2024' },
      { d: 'april 1 2024' },
      'd: expected "april 1 2024", got "April 1, 2024"',
      { normalizeStrings: false },
    ],
    [{ n: 10.5 }, { n: 10 }, 'n: expected 10, got 10.5', {}],
    [{ n: 10.5 }, { n: 10 }, true, { numericTolerance: 0.05 }],
    [{ n: 0.5 }, { n: 0 }, true, { numericTolerance: 0.5 }],
    [{ xs: [1, 2] }, { xs: [1, 2, 3] }, 'xs: expected 3 items, got 2', {}],
    [{ xs: [2, 1] }, { xs: [1, 2] }, 'xs[0]: expected 1, got 2', {}],
    [{ o: { a: 'x', b: true } }, { o: { a: { $anyOf: ['y', 'X'] }, b: true } }, true, {}],
    [{ o: { a: 'x', b: 1 } }, { o: { a: 'x', b: true } }, 'o.b: expected a boolean, got number 1', {}],
    [{ v: null }, { v: null }, true, {}],
    ['not an object', { v: 1 }, 'arguments: expected an object, got string', {}],
  ] as const)('%j against %j', (actual, spec, want, options) => {
    const m = matchToolArguments(actual, spec as never, options);
    expect(m).toEqual(want === true ? { ok: true } : { ok: false, reason: want });
  });

  it('a matching is one-to-one and order-free (maximum bipartite, not greedy)', () => {
    // Greedy would give call 0 (Paris, accepted by both) to expectation 0 and leave expectation 1 unmatched.
    const calls = [
      { name: 'w', arguments: { city: 'Paris' } },
      { name: 'w', arguments: { city: 'Lyon' } },
    ];
    const expected = [
      { name: 'w', arguments: { city: { $anyOf: ['Paris', 'Lyon'] } } },
      { name: 'w', arguments: { city: 'Paris' } },
    ];
    expect(toolArgumentsScore(calls, expected).matched).toBe(2);
    expect(toolArgumentsScore([calls[0]!], expected).failures).toEqual([
      'w #2: its matching call served another expected call',
    ]);
    expect(toolArgumentsScore([], ['w']).failures).toEqual(['w #1: not called']);
  });

  const json = fc.dictionary(
    fc.string({ minLength: 1, maxLength: 6 }).filter((k) => !k.startsWith('$')),
    fc.oneof(
      fc.string(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
      fc.array(fc.integer(), { maxLength: 3 }),
    ),
    { maxKeys: 4 },
  );
  const calls = fc.array(fc.record({ name: toolName, arguments: json }), { maxLength: 6 });

  it('properties: the expected calls themselves score 1 in any order; scores within [0, 1]; order of calls is irrelevant', () => {
    fc.assert(
      fc.property(calls, calls, (made, want) => {
        expect(toolArgumentsScore([...want].reverse(), want).score).toBe(1);
        const s = toolArgumentsScore(made, want);
        expect(s.score >= 0 && s.score <= 1).toBe(true);
        expect(toolArgumentsScore([...made].reverse(), want).matched).toBe(s.matched);
        expect(s.failures).toHaveLength(s.expected - s.matched);
      }),
      FC,
    );
  });

  it.each([
    [{ numericTolerance: -1 }, 'Expected `numericTolerance` to be a finite number >= 0, got `-1` (number)'],
    [
      { numericTolerance: Number.NaN },
      'Expected `numericTolerance` to be a finite number >= 0, got `NaN` (number)',
    ],
  ])('refuses bad options %j', (o, message) => {
    expect(() => matchToolArguments({}, {}, o)).toThrow(message);
  });
});

describe('trajectoryEfficiencyScore', () => {
  it('the worked example of its TSDoc', () => {
    expect(trajectoryEfficiencyScore({ steps: 4, tokens: 1200 }, { steps: 3, tokens: 1500 })).toEqual({
      score: 0.875,
      steps: 0.75,
      tokens: 1,
    });
  });

  it('properties: within [0, 1]; 1 within the target; never increases as the cost grows', () => {
    const n = fc.integer({ min: 0, max: 10_000 });
    fc.assert(
      fc.property(
        n,
        n,
        n,
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 5000 }),
        (s, t, more, ts, tt) => {
          const a = trajectoryEfficiencyScore({ steps: s, tokens: t }, { steps: ts, tokens: tt });
          const b = trajectoryEfficiencyScore(
            { steps: s + more, tokens: t + more },
            { steps: ts, tokens: tt },
          );
          expect(a.score >= 0 && a.score <= 1).toBe(true);
          expect(b.score <= a.score).toBe(true);
          expect(
            trajectoryEfficiencyScore(
              { steps: Math.min(s, ts), tokens: Math.min(t, tt) },
              { steps: ts, tokens: tt },
            ).score,
          ).toBe(1);
        },
      ),
      FC,
    );
  });

  it.each([
    [{}, 'Expected `target` to name steps or tokens'],
    [{ steps: 0 }, 'Expected `target.steps` to be a finite number > 0, got `0` (number)'],
  ])('refuses target %j', (target, message) => {
    expect(() => trajectoryEfficiencyScore({ steps: 1, tokens: 1 }, target)).toThrow(message);
  });
});

describe('toolErrorRecoveryScore', () => {
  it('the worked example of its TSDoc', () => {
    const t = trajectoryOf([
      { calls: [['get_weather', {}, '!unknown city']] },
      {
        calls: [
          ['get_weather', {}, '!timeout'],
          ['search', {}, 'ok'],
        ],
      },
      { calls: [['convert', {}, '!bad unit']] },
      { calls: [['convert', {}, '64']] },
      {},
    ]);
    expect(toolErrorRecoveryScore(t)).toEqual({ errors: 3, recovered: 2, score: 2 / 3 });
  });

  it('no error: no score (null), never 1; giving up is not a recovery', () => {
    expect(toolErrorRecoveryScore(trajectoryOf([{ calls: [['a', {}, 'ok']] }, {}])).score).toBeNull();
    expect(toolErrorRecoveryScore(trajectoryOf([{ calls: [['a', {}, '!x']] }, {}])).score).toBe(0);
  });

  it('properties: within [0, 1]; a trajectory whose every result succeeds has nothing to recover', () => {
    const turn = fc.array(fc.tuple(toolName, fc.boolean()), { minLength: 1, maxLength: 3 });
    fc.assert(
      fc.property(fc.array(turn, { maxLength: 6 }), (turns) => {
        const t = trajectoryOf(
          turns.map((calls) => ({ calls: calls.map(([n, bad]) => [n, {}, bad ? '!e' : 'ok'] as const) })),
        );
        const s = toolErrorRecoveryScore(t);
        if (s.score !== null) expect(s.score >= 0 && s.score <= 1).toBe(true);
        expect(s.recovered <= s.errors).toBe(true);
        const clean = trajectoryOf(
          turns.map((calls) => ({ calls: calls.map(([n]) => [n, {}, 'ok'] as const) })),
        );
        expect(toolErrorRecoveryScore(clean)).toEqual({ errors: 0, recovered: 0, score: null });
      }),
      FC,
    );
  });
});

describe('the metrics read the trajectory and example.reference', () => {
  const reference = {
    toolCalls: [
      { name: 'get_weather', arguments: { city: 'Paris' } },
      { name: 'convert', arguments: { celsius: 18, to: 'F' } },
    ],
    steps: 3,
    tokens: 300,
  };
  const perfect = trajectoryOf([
    { calls: [['get_weather', { city: 'Paris' }, '18']], tokens: [50, 10] },
    { calls: [['convert', { celsius: 18, to: 'F' }, '64']], tokens: [70, 10] },
    { tokens: [90, 5] },
  ]);
  const metrics = [toolSelection(), toolOrder(), toolArguments(), trajectoryEfficiency()];

  it('a trajectory equal to the expected one scores the maximum on every metric', async () => {
    for (const m of metrics)
      expect((await scoreOf(m, { input: 'q', reference }, perfect)).value).toBe(m.bounds![1]);
  });

  it('a worse trajectory: the names and numbers of each metric', async () => {
    const worse = trajectoryOf([
      { calls: [['get_weather', { city: 'Lyon' }, '17']], tokens: [50, 10] },
      { calls: [['get_weather', { city: 'Paris' }, '18']], tokens: [60, 10] },
      { calls: [['convert', { celsius: 18, to: 'C' }, '18']], tokens: [70, 10] },
      { calls: [['convert', { celsius: 18, to: 'F' }, '64']], tokens: [80, 10] },
      { tokens: [90, 10] },
    ]);
    const ex = { input: 'q', reference };
    // 4 calls, 2 expected, 2 matched: P = 0.5, R = 1, F1 = 4/6.
    expect(rel((await scoreOf(toolSelection(), ex, worse)).value!, 4 / 6)).toBe(true);
    expect((await scoreOf(toolSelection({ average: 'recall' }), ex, worse)).value).toBe(1);
    // LCS of [gw, gw, cv, cv] and [gw, cv] is 2: 2·2 / 6.
    expect(rel((await scoreOf(toolOrder(), ex, worse)).value!, 4 / 6)).toBe(true);
    expect((await scoreOf(toolArguments(), ex, worse)).value).toBe(1);
    // 5 steps for 3: 0.6; 400 tokens for 300: 0.75; mean 0.675.
    expect(rel((await scoreOf(trajectoryEfficiency(), ex, worse)).value!, 0.675)).toBe(true);
    const wrong = trajectoryOf([{ calls: [['get_weather', { city: 'Lyon' }, '17']] }, {}]);
    const s = await scoreOf(toolArguments(), ex, wrong);
    expect(s.value).toBe(0);
    expect(s.details?.failures).toEqual([
      'get_weather #1: city: expected "Paris", got "Lyon"',
      'convert #2: not called',
    ]);
    expect((await scoreOf(toolArguments({ score: 'all' }), ex, perfect)).value).toBe(1);
    expect(toolArguments({ score: 'all' }).kind).toBe('binary');
  });

  it('missing, never 0: no trajectory, no expectation, no target, no tool error', async () => {
    for (const m of [...metrics, toolErrorRecovery()])
      expect((await scoreOf(m, { input: 'q', reference }, undefined)).value).toBeNull();
    for (const m of [toolSelection(), toolOrder(), toolArguments(), trajectoryEfficiency()])
      expect((await scoreOf(m, { input: 'q', reference: 'a string' }, perfect)).value).toBeNull();
    expect((await scoreOf(toolErrorRecovery(), { input: 'q' }, perfect)).value).toBeNull();
  });

  it('an accessor and a budget replace the reference', async () => {
    const ex = { input: 'q', metadata: { expected: reference } };
    const expected = (e: Example) => e.metadata?.expected as typeof reference;
    expect((await scoreOf(toolSelection({ expected }), ex, perfect)).value).toBe(1);
    const s = await scoreOf(trajectoryEfficiency({ budget: { steps: 2 } }), { input: 'q' }, perfect);
    expect(rel(s.value!, 2 / 3)).toBe(true);
  });

  it.each([
    [
      () => toolSelection({ average: 'macro' as never }),
      "Expected `average` to be 'f1' | 'precision' | 'recall', got `\"macro\"` (string)",
    ],
    [() => toolOrder({ expected: 3 as never }), 'Expected `expected` to be a function, got `3` (number)'],
    [
      () => toolArguments({ score: 'any' as never }),
      "Expected `score` to be 'fraction' | 'all', got `\"any\"` (string)",
    ],
    [
      () => trajectoryEfficiency({ budget: { steps: -1 } }),
      'Expected `target.steps` to be a finite number > 0',
    ],
    [() => toolErrorRecovery('x' as never), 'Expected `options` to be an options object, got `"x"` (string)'],
  ])('refuses bad options (%#)', (make, message) => {
    expect(make).toThrow(message);
  });
});

describe('every trajectory metric: a trajectory equal to the expected one scores the maximum', () => {
  const arg = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
  const expectedCall = fc.record({
    name: toolName,
    arguments: fc.dictionary(fc.constantFrom('city', 'q', 'n', 'to'), arg, { maxKeys: 3 }),
  });
  it('for random expected calls (with order-free groups), through Metric.score', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(expectedCall, fc.array(expectedCall, { minLength: 1, maxLength: 3 })), {
          maxLength: 6,
        }),
        async (toolCalls) => {
          const flat = toolCalls.flatMap((g) => (Array.isArray(g) ? g : [g]));
          // One turn per call, then the answer: steps = calls + 1.
          const t = trajectoryOf([
            ...flat.map((c) => ({ calls: [[c.name, c.arguments, 'ok'] as const], tokens: [10, 2] as const })),
            { tokens: [10, 2] },
          ]);
          const reference = { toolCalls, steps: flat.length + 1, tokens: 12 * (flat.length + 1) };
          for (const m of [toolSelection(), toolOrder(), toolArguments(), trajectoryEfficiency()]) {
            const s = await scoreOf(m, { input: 'q', reference }, t);
            if (m.name === 'tool_arguments' && flat.length === 0) expect(s.value).toBeNull();
            else expect(s.value).toBe(1);
          }
        },
      ),
      { seed: 23, numRuns: 200 },
    );
  });
});
