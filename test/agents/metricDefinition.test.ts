/**
 * The agent metrics record their definition (the options that change their scores), so that compare() of two
 * runs whose trajectories were scored by another toolSelection average, toolArguments tolerance,
 * trajectoryEfficiency budget or goalCompletion judge is refused (MetricDefinitionError), not reported as a
 * change of the agent. A seeded property: the same options give equal definitions (never refused); one
 * score-changing option changed is always refused, naming that field.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AgentReference,
  type AgentReferenceAccessor,
  GOAL_COMPLETION_RUBRIC,
  goalCompletion,
  toolArguments,
  toolErrorRecovery,
  toolOrder,
  toolSelection,
  trajectoryEfficiency,
} from '../../src/agents/index.js';
import type { Metric, Model } from '../../src/core/types.js';
import { MetricDefinitionError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate.js';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { recordedMetric } from '../../src/run/recordedMetric.js';

const N = 40;
const quiet = { progress: false, resamples: 50, trajectory: true } as const;
// Every row expects search, get_weather(city, celsius 18) and convert, in that order, in 3 model calls.
const dataset = Array.from({ length: N }, (_, i) => ({
  id: `r${i}`,
  input: i,
  reference: {
    toolCalls: ['search', { name: 'get_weather', arguments: { city: 'Paris', celsius: 18 } }, 'convert'],
    steps: 3,
  } satisfies AgentReference,
}));
// The agent: the expected calls, celsius 18.4 instead of 18, and on odd rows a second search (4 model calls).
const agent: Model = async (input) => {
  const i = input as number;
  const call = (name: string, args: Record<string, unknown> = {}) => ({
    toolCalls: [{ name, arguments: args }],
    toolResults: [{ content: 'ok' }],
  });
  return {
    output: 'It is 65F in Paris.',
    trajectory: {
      steps: [
        call('search', { q: 'weather' }),
        ...(i % 2 === 1 ? [call('search', { q: 'weather paris' })] : []),
        call('get_weather', { city: 'Paris', celsius: 18.4 }),
        call('convert'),
        { text: 'It is 65F in Paris.' },
      ],
    },
  };
};

/** The refusal compare() throws, or undefined when it compares. */
function refusal(base: EvalResult, cand: EvalResult): MetricDefinitionError | undefined {
  try {
    compare(base, cand, { resamples: 50 });
  } catch (err) {
    if (err instanceof MetricDefinitionError) return err;
    throw err;
  }
  return undefined;
}

describe('the same trajectories scored by two definitions of one agent metric', () => {
  it.each<[string, Metric, Metric, string]>([
    ['toolSelection', toolSelection(), toolSelection({ average: 'recall' }), 'definition.average'],
    [
      'toolArguments',
      toolArguments(),
      toolArguments({ numericTolerance: 0.05 }),
      'definition.numericTolerance',
    ],
    [
      'trajectoryEfficiency',
      trajectoryEfficiency({ expected: () => ({}), budget: { steps: 4 } }),
      trajectoryEfficiency({ expected: () => ({}), budget: { steps: 3 } }),
      'definition.budget',
    ],
  ])('%s: refused naming the option, not reported as a change of the agent', async (_, a, b, field) => {
    const [base, cand] = await Promise.all([
      evaluate(dataset, agent, [a], quiet),
      evaluate(dataset, agent, [b], quiet),
    ]);
    const name = a.name;
    // The yardstick moved: the same trajectories score differently.
    expect(base.metrics[name]!.mean).not.toBe(cand.metrics[name]!.mean);
    const err = refusal(base, cand);
    expect(err).toBeInstanceOf(MetricDefinitionError);
    expect(err!.metric).toBe(name);
    expect(err!.changes.map((c) => c.field)).toContain(field);
    // Asked for anyway: compared, and noted.
    const allowed = compare(base, cand, { resamples: 50, allowDefinitionChange: true }).metrics[name]!;
    expect(allowed.difference).not.toBe(0);
    expect(allowed.definitionChanged).toContain(field);
    // Scored alike: compared as before.
    const again = await evaluate(dataset, agent, [a], quiet);
    expect(compare(base, again, { resamples: 50 }).metrics[name]!.definitionChanged).toBeUndefined();
  });

  it('a result saved without definitions (an earlier evalgate) compares as before', async () => {
    const [base, cand] = await Promise.all([
      evaluate(dataset, agent, [toolSelection()], quiet),
      evaluate(dataset, agent, [toolSelection({ average: 'recall' })], quiet),
    ]);
    const old = {
      ...base,
      config: {
        ...base.config,
        metrics: (base.config.metrics as Record<string, unknown>[]).map(({ definition: _, ...rest }) => rest),
      },
    } as EvalResult;
    expect(compare(old, cand, { resamples: 50 }).metrics.tool_selection!.difference).toBeGreaterThan(0);
  });
});

/** A cheap run recording `metric`'s entry under the name `m` (its scores are not used). */
const stubRun = evaluate(
  dataset.slice(0, 8).map((e) => ({ id: e.id, input: e.input })),
  async () => 'x',
  [{ name: 'm', kind: 'binary', score: (c) => ((c.example.input as number) % 2) as number }],
  { progress: false, resamples: 20 },
);
async function recordOf(metric: Metric): Promise<EvalResult> {
  const base = await stubRun;
  return { ...base, config: { ...base.config, metrics: [recordedMetric({ ...metric, name: 'm' })] } };
}

const client = {
  chat: { completions: { create: async () => ({}) } },
  apiKey: 'sk-proj-abcdefghijklmnop0123456789',
} as never;
const accessor: AgentReferenceAccessor = (ex) => ex.metadata as AgentReference | undefined;
const judge = (model: string) => ({ model, client });

// Each agent metric with one option that changes its scores.
const families: [string, () => Metric, () => Metric, string][] = [
  [
    'toolSelection (average)',
    () => toolSelection(),
    () => toolSelection({ average: 'precision' }),
    'average',
  ],
  [
    'toolSelection (expected)',
    () => toolSelection(),
    () => toolSelection({ expected: accessor }),
    'expected',
  ],
  ['toolOrder (expected)', () => toolOrder(), () => toolOrder({ expected: accessor }), 'expected'],
  ['toolArguments (score)', () => toolArguments(), () => toolArguments({ score: 'all' }), 'score'],
  [
    'toolArguments (normalizeStrings)',
    () => toolArguments(),
    () => toolArguments({ normalizeStrings: false }),
    'normalizeStrings',
  ],
  [
    'toolArguments (allowExtraArguments)',
    () => toolArguments(),
    () => toolArguments({ allowExtraArguments: true }),
    'allowExtraArguments',
  ],
  [
    'trajectoryEfficiency (budget)',
    () => trajectoryEfficiency({ budget: { steps: 4 } }),
    () => trajectoryEfficiency({ budget: { steps: 4, tokens: 900 } }),
    'budget',
  ],
  [
    'goalCompletion (model)',
    () => goalCompletion({ judge: judge('gpt-4o') }),
    () => goalCompletion({ judge: judge('gpt-4o-mini') }),
    'model',
  ],
  [
    'goalCompletion (rubric)',
    () => goalCompletion({ judge: judge('gpt-4o') }),
    () => goalCompletion({ judge: judge('gpt-4o'), rubric: 'Refunds count only when confirmed.' }),
    'rubric',
  ],
  [
    'goalCompletion (maxContentChars)',
    () => goalCompletion({ judge: judge('gpt-4o') }),
    () => goalCompletion({ judge: judge('gpt-4o'), maxContentChars: 100 }),
    'maxContentChars',
  ],
];

describe('every agent metric records the options that change its scores', () => {
  it.each(families)('%s: the same options compare, another is refused', async (_, same, other, field) => {
    const [a, a2, b] = await Promise.all([recordOf(same()), recordOf(same()), recordOf(other())]);
    expect(compare(a, a2, { resamples: 20 }).metrics.m!.definitionChanged).toBeUndefined();
    const err = refusal(a, b);
    expect(err).toBeInstanceOf(MetricDefinitionError);
    expect(err!.changes.map((c) => c.field)).toContain(`definition.${field}`);
  });

  it('defaults are recorded resolved: an option left out and the same option given at its default agree', () => {
    expect(toolArguments().definition).toEqual(
      toolArguments({
        normalizeStrings: true,
        numericTolerance: 0,
        allowExtraArguments: false,
        score: 'fraction',
      }).definition,
    );
    expect(toolSelection().definition).toEqual(toolSelection({ average: 'f1' }).definition);
    expect(toolErrorRecovery().definition).toEqual(toolErrorRecovery({ name: 'recovery' }).definition);
    expect(goalCompletion({ judge: judge('m') }).definition).toEqual(
      goalCompletion({ judge: { model: 'm' }, maxContentChars: 400, name: 'goal' }).definition,
    );
  });

  it('records a function as present, never a client or a key; a key in a rubric is redacted', async () => {
    expect(toolOrder({ expected: accessor }).definition).toEqual({
      expected: '[function]',
      metric: 'toolOrder',
    });
    expect(toolErrorRecovery().definition).toEqual({ metric: 'toolErrorRecovery' });
    expect(trajectoryEfficiency({ budget: { tokens: 900 } }).definition).toEqual({
      budget: { tokens: 900 },
      metric: 'trajectoryEfficiency',
    });
    const goal = goalCompletion({
      judge: judge('gpt-4o'),
      rubric: 'use key sk-proj-abcdefghijklmnop0123456789',
    });
    expect(JSON.stringify(goal.definition)).not.toMatch(/apiKey|client|chat/);
    const recorded = (await recordOf(goal)).config.metrics as { definition?: Record<string, unknown> }[];
    expect(recorded[0]!.definition!.rubric).toBe('use key ***');
    expect(recorded[0]!.definition!.model).toBe('gpt-4o');
  });
});

/** One agent metric's score-changing options: how to draw each, its default, and how to build the metric. */
interface Spec {
  readonly fields: Readonly<Record<string, fc.Arbitrary<unknown>>>;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly build: (o: Readonly<Record<string, unknown>>) => Metric;
}

const expectedArb = fc.constantFrom<AgentReferenceAccessor | undefined>(undefined, accessor);
const budgetArb = fc
  .record(
    { steps: fc.integer({ min: 1, max: 9 }), tokens: fc.integer({ min: 1, max: 5000 }) },
    { requiredKeys: [] },
  )
  .filter((b) => b.steps !== undefined || b.tokens !== undefined);
const present = (o: Readonly<Record<string, unknown>>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const specs: Readonly<Record<string, Spec>> = {
  toolSelection: {
    fields: { average: fc.constantFrom('f1', 'precision', 'recall'), expected: expectedArb },
    defaults: { average: 'f1' },
    build: (o) => toolSelection(present(o)),
  },
  toolOrder: { fields: { expected: expectedArb }, defaults: {}, build: (o) => toolOrder(present(o)) },
  toolArguments: {
    fields: {
      normalizeStrings: fc.boolean(),
      numericTolerance: fc.constantFrom(0, 0.01, 0.05, 0.5),
      allowExtraArguments: fc.boolean(),
      score: fc.constantFrom('fraction', 'all'),
      expected: expectedArb,
    },
    defaults: { normalizeStrings: true, numericTolerance: 0, allowExtraArguments: false, score: 'fraction' },
    build: (o) => toolArguments(present(o)),
  },
  trajectoryEfficiency: {
    fields: { budget: budgetArb, expected: expectedArb },
    defaults: {},
    build: (o) => trajectoryEfficiency(present(o)),
  },
  goalCompletion: {
    fields: {
      model: fc.constantFrom('gpt-4o', 'gpt-4o-mini', 'claude-sonnet-4-5'),
      rubric: fc.option(fc.string({ minLength: 1, maxLength: 12 }), { nil: undefined }),
      maxContentChars: fc.integer({ min: 20, max: 2000 }),
      expected: expectedArb,
    },
    // `judge.model` is required: a run that leaves it out here judges with gpt-4o.
    defaults: { model: 'gpt-4o', rubric: GOAL_COMPLETION_RUBRIC, maxContentChars: 400 },
    build: ({ model, ...o }) =>
      goalCompletion({ judge: judge((model as string | undefined) ?? 'gpt-4o'), ...present(o) }),
  },
};

/** An option's value as the metric resolves it, as comparable text (a function: present). */
const resolved = (spec: Spec, o: Readonly<Record<string, unknown>>, field: string) => {
  const v = o[field] ?? spec.defaults[field];
  return typeof v === 'function' ? '[function]' : JSON.stringify(v);
};

describe('property: one agent metric built twice', () => {
  const draw = fc
    .constantFrom(...Object.keys(specs))
    .chain((metric) => {
      const spec = specs[metric]!;
      const options = fc.record(spec.fields, { requiredKeys: [] });
      return fc.tuple(fc.constant(metric), options, fc.constantFrom(...Object.keys(spec.fields)), options);
    })
    .filter(([metric, options, field, other]) => {
      const spec = specs[metric]!;
      return resolved(spec, options, field) !== resolved(spec, other, field);
    });

  it('same options never refuse; one score-changing option changed always refuses, naming it', async () => {
    await fc.assert(
      fc.asyncProperty(draw, async ([metric, options, field, other]) => {
        const spec = specs[metric]!;
        const a = spec.build(options);
        // The same options, those at their default spelled out: the same definition.
        const spelled = { ...spec.defaults, ...present(options) };
        expect(spec.build(spelled).definition).toEqual(a.definition);
        expect(
          compare(await recordOf(a), await recordOf(spec.build(spelled)), { resamples: 20 }).metrics.m!
            .definitionChanged,
        ).toBeUndefined();
        const changed = { ...options, [field]: other[field] };
        const err = refusal(await recordOf(a), await recordOf(spec.build(changed)));
        expect(err).toBeInstanceOf(MetricDefinitionError);
        const fields = err!.changes.map((c) => c.field);
        expect(fields).toContain(`definition.${field}`);
        // Only that option (and, for toolArguments' score, the kind it sets) differs.
        expect(fields.filter((f) => f !== `definition.${field}` && f !== 'kind')).toEqual([]);
      }),
      { seed: 20261207, numRuns: 300 },
    );
  });
});
