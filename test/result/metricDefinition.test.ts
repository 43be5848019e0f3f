/**
 * compare() of two runs whose metric of one name was defined differently: refused (MetricDefinitionError) unless
 * `allowDefinitionChange`, then noted. The definition every built-in metric records, its round trip through a file,
 * and a seeded property (identical definitions never refuse; one differing recorded field always does).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { ComparisonError, MetricDefinitionError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate.js';
import {
  answerRelevance,
  contextPrecision,
  contextRecall,
  contextRelevance,
  faithfulness,
  gEval,
  llmJudge,
  pairwiseJudge,
} from '../../src/judge/index.js';
import {
  bertScore,
  bleu,
  chrf,
  contains,
  embeddingSimilarity,
  exactMatch,
  f1,
  jsonMatch,
  jsonValid,
  levenshtein,
  openaiEmbedder,
  regexMatch,
  rougeL,
} from '../../src/metrics/index.js';
import { formatComparisonTable } from '../../src/report/formatComparisonTable.js';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';

const N = 60;
// The system's outputs: the right answer, capitalized. Scored twice, by two definitions of `exact_match`.
const dataset = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: `answer ${i}` }));
const model = async (input: unknown) => `Answer ${input as number}`;
const quiet = { progress: false, resamples: 50 } as const;

describe('the same outputs scored by two definitions of one metric name', () => {
  it('is refused, not reported as a significant regression; allowed with the option, and noted', async () => {
    const base = await evaluate(dataset, model, [exactMatch()], quiet);
    const cand = await evaluate(dataset, model, [exactMatch({ lowercase: false })], quiet);
    expect([base.metrics.exact_match!.mean, cand.metrics.exact_match!.mean]).toEqual([1, 0]);
    const call = () => compare(base, cand, { resamples: 50 });
    expect(call).toThrow(MetricDefinitionError);
    expect(call).toThrow(ComparisonError);
    expect(call).toThrow(
      /Metric "exact_match" is defined differently in the two results \(baseline -> candidate: definition\.lowercase: true -> false\)/,
    );
    try {
      call();
    } catch (err) {
      const e = err as MetricDefinitionError;
      expect([e.code, e.metric, e.changes]).toEqual([
        'E_METRIC_DEFINITION',
        'exact_match',
        [{ field: 'definition.lowercase', baseline: 'true', candidate: 'false' }],
      ]);
    }
    const allowed = compare(base, cand, { resamples: 50, allowDefinitionChange: true });
    const m = allowed.metrics.exact_match!;
    expect([m.difference, m.significant]).toEqual([-1, true]);
    expect(m.definitionChanged).toBe(
      "the metric's definition changed (baseline -> candidate: definition.lowercase: true -> false)",
    );
    expect(formatComparisonTable(allowed)).toContain('definition.lowercase: true -> false');
    // The same definition on both sides: compared as before, no note.
    const again = await evaluate(dataset, model, [exactMatch()], quiet);
    expect(compare(base, again, { resamples: 50 }).metrics.exact_match!.definitionChanged).toBeUndefined();
  });

  it('survives saveResult -> loadResult; a file saved without definitions compares as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-definition-'));
    const base = await evaluate(dataset, model, [exactMatch()], quiet);
    const cand = await evaluate(dataset, model, [exactMatch({ lowercase: false })], quiet);
    await saveResult(base, join(dir, 'base.json'));
    const loaded = await loadResult(join(dir, 'base.json'));
    expect(loaded.config.metrics).toEqual(base.config.metrics);
    expect((loaded.config.metrics as { definition?: unknown }[])[0]!.definition).toEqual({
      collapseWhitespace: true,
      lowercase: true,
      metric: 'exactMatch',
      removeArticles: true,
      removePunctuation: true,
    });
    expect(() => compare(loaded, cand, { resamples: 50 })).toThrow(MetricDefinitionError);
    // An earlier evalgate recorded no definition: nothing to compare it with, so no refusal.
    const old = {
      ...loaded,
      config: {
        ...loaded.config,
        metrics: (loaded.config.metrics as Record<string, unknown>[]).map(
          ({ definition: _, ...rest }) => rest,
        ),
      },
    } as EvalResult;
    expect(compare(old, cand, { resamples: 50 }).metrics.exact_match!.difference).toBe(-1);
  });

  it('keeps a custom definition, sorted, with credentials redacted', async () => {
    const custom: Metric = {
      name: 'mine',
      kind: 'binary',
      definition: { version: 2, apiKey: 'sk-proj-abcdefghijklmnop0123456789', nested: { z: 1, a: [true] } },
      score: () => 1,
    };
    const r = await evaluate(dataset.slice(0, 3), model, [custom], quiet);
    const recorded = (r.config.metrics as { definition?: object }[])[0]!.definition!;
    expect(JSON.stringify(recorded)).toBe('{"apiKey":"***","nested":{"a":[true],"z":1},"version":2}');
    await expect(
      evaluate(dataset.slice(0, 3), model, [{ ...custom, definition: 'v2' as never }], quiet),
    ).rejects.toThrow(
      'Expected `metrics[0].definition` to be a plain JSON object (how the metric scores), got',
    );
  });
});

/** A cheap run recording `metric`'s name, kind, bounds, aggregation and definition (its scores are not used). */
async function recordOf(metric: Metric): Promise<EvalResult> {
  const stub: Metric = {
    name: 'm',
    kind: metric.kind,
    ...(metric.bounds === undefined ? {} : { bounds: metric.bounds }),
    ...(metric.aggregation === undefined ? {} : { aggregation: metric.aggregation }),
    ...(metric.definition === undefined ? {} : { definition: metric.definition }),
    score: (c) => ((c.example.input as number) % 2 === 0 ? 1 : 0),
  };
  return evaluate(dataset.slice(0, 12), model, [stub], quiet);
}

const fakeClient = { embeddings: { create: async () => ({ data: [] }) } } as never;
const embedA = openaiEmbedder({ model: 'text-embedding-3-small', client: fakeClient });
const embedB = openaiEmbedder({ model: 'text-embedding-3-large', client: fakeClient });
const embedTokens = async () => [];
const baseline = () => 'baseline answer';

// One pair per built-in metric family: the same factory with one option that changes its scores.
const families: [string, () => Metric, () => Metric, string][] = [
  [
    'exactMatch',
    () => exactMatch(),
    () => exactMatch({ removeArticles: false }),
    'definition.removeArticles',
  ],
  ['f1', () => f1(), () => f1({ removePunctuation: false }), 'definition.removePunctuation'],
  ['bleu', () => bleu(), () => bleu({ tokenize: 'none' }), 'aggregation'],
  ['chrf', () => chrf(), () => chrf({ beta: 3 }), 'aggregation'],
  ['contains', () => contains(), () => contains({ ignoreCase: true }), 'definition.ignoreCase'],
  ['jsonMatch', () => jsonMatch(), () => jsonMatch({ partial: true }), 'definition.partial'],
  ['jsonValid', () => jsonValid(), () => jsonValid({ codeFence: true }), 'definition.codeFence'],
  ['levenshtein', () => levenshtein(), () => levenshtein({ ignoreCase: true }), 'definition.ignoreCase'],
  [
    'regexMatch',
    () => regexMatch('\\d+'),
    () => regexMatch('\\d+', { fullMatch: true }),
    'definition.pattern',
  ],
  ['rougeL', () => rougeL(), () => rougeL({ tokenizer: 'rouge-score' }), 'definition.tokenizer'],
  [
    'embeddingSimilarity',
    () => embeddingSimilarity({ embed: embedA }),
    () => embeddingSimilarity({ embed: embedB }),
    'definition.embed',
  ],
  [
    'bertScore',
    () => bertScore({ embedTokens, idf: ['a b', 'c'] }),
    () => bertScore({ embedTokens, idf: ['a b', 'c d'] }),
    'definition.idf',
  ],
  [
    'llmJudge (model)',
    () => llmJudge({ model: 'gpt-4o', rubric: 'Is it correct?' }),
    () => llmJudge({ model: 'gpt-4o-mini', rubric: 'Is it correct?' }),
    'definition.model',
  ],
  [
    'llmJudge (rubric)',
    () => llmJudge({ model: 'gpt-4o', rubric: 'Is it correct?' }),
    () => llmJudge({ model: 'gpt-4o', rubric: 'Is it correct and concise?' }),
    'definition.rubric',
  ],
  [
    'llmJudge (scale)',
    () => llmJudge({ model: 'gpt-4o', rubric: 'Is it correct?' }),
    () => llmJudge({ model: 'gpt-4o', rubric: 'Is it correct?', scale: { min: 1, max: 10 } }),
    'definition.scale',
  ],
  [
    'gEval',
    () => gEval({ model: 'gpt-4o', criteria: 'Coherence' }),
    () => gEval({ model: 'gpt-4o', criteria: 'Coherence', steps: ['Read it.'] }),
    'definition.steps',
  ],
  [
    'pairwiseJudge',
    () => pairwiseJudge({ model: 'gpt-4o', criteria: 'Helpful', baseline }),
    () => pairwiseJudge({ model: 'gpt-4o', criteria: 'Helpful', inconsistent: 'missing', baseline }),
    'definition.inconsistent',
  ],
  [
    'answerRelevance',
    () => answerRelevance({ model: 'gpt-4o', embed: embedA }),
    () => answerRelevance({ model: 'gpt-4o', embed: embedA, questions: 5 }),
    'definition.questions',
  ],
  [
    'faithfulness',
    () => faithfulness({ model: 'gpt-4o' }),
    () => faithfulness({ model: 'claude-sonnet-4-5' }),
    'definition.model',
  ],
  [
    'contextPrecision',
    () => contextPrecision({ model: 'a' }),
    () => contextPrecision({ model: 'b' }),
    'definition.model',
  ],
  [
    'contextRecall',
    () => contextRecall({ model: 'a' }),
    () => contextRecall({ model: 'b' }),
    'definition.model',
  ],
  [
    'contextRelevance',
    () => contextRelevance({ model: 'a' }),
    () => contextRelevance({ model: 'b' }),
    'definition.model',
  ],
];

describe('every built-in metric family records the options that change its scores', () => {
  it.each(families)(
    '%s: the same options compare, another option is refused',
    async (_, same, other, field) => {
      const [a, a2, b] = await Promise.all([recordOf(same()), recordOf(same()), recordOf(other())]);
      expect(compare(a, a2, { resamples: 50 }).metrics.m!.definitionChanged).toBeUndefined();
      let thrown: unknown;
      try {
        compare(a, b, { resamples: 50 });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(MetricDefinitionError);
      expect((thrown as MetricDefinitionError).changes.map((c) => c.field)).toContain(field);
    },
  );

  it('a function option is recorded as present, and no judge definition holds a key or client', () => {
    const judge = pairwiseJudge({ model: 'gpt-4o', criteria: 'Helpful', baseline });
    expect(judge.definition!.baseline).toBe('[function]');
    expect(embeddingSimilarity({ embed: async () => [] }).definition!.embed).toBe('[function]');
    expect(embeddingSimilarity({ embed: embedA }).definition!.embed).toEqual({
      metric: 'openaiEmbedder',
      model: 'text-embedding-3-small',
    });
    const client = {
      chat: { completions: { create: async () => ({}) } },
      apiKey: 'sk-proj-abcdefghijklmnop0123',
    };
    const withClient = llmJudge({ model: 'gpt-4o', rubric: 'r', client: client as never });
    expect(JSON.stringify(withClient.definition)).not.toMatch(/sk-|apiKey|client/);
  });
});

describe('property: a definition compares with itself and never with one field changed', () => {
  const json = fc.oneof(
    fc.string({ maxLength: 6 }),
    fc.integer({ min: -5, max: 5 }),
    fc.boolean(),
    fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
  );
  const definition = fc.dictionary(fc.constantFrom('metric', 'model', 'rubric', 'k', 'scale'), json, {
    minKeys: 1,
  });

  it('identical definitions never refuse; one differing recorded field always refuses', async () => {
    const base = await evaluate(dataset.slice(0, 8), model, [exactMatch()], quiet);
    const entry = (base.config.metrics as Record<string, unknown>[])[0]!;
    const withEntry = (e: Record<string, unknown>): EvalResult =>
      ({ ...base, config: { ...base.config, metrics: [e] } }) as EvalResult;
    await fc.assert(
      fc.asyncProperty(
        definition,
        fc.constantFrom('kind', 'aggregation', 'definition'),
        json,
        async (def, field, value) => {
          const r = withEntry({ ...entry, definition: def });
          const again = withEntry({ ...entry, definition: JSON.parse(JSON.stringify(def)) });
          expect(compare(r, again, { resamples: 20 }).metrics.exact_match!.definitionChanged).toBeUndefined();
          let changed: Record<string, unknown>;
          if (field === 'definition') {
            const key = Object.keys(def)[0]!;
            const v = JSON.stringify(value) === JSON.stringify(def[key]) ? [value, 'x'] : value;
            changed = { ...entry, definition: { ...def, [key]: v } };
          } else if (field === 'kind') changed = { ...entry, definition: def, kind: 'continuous' };
          else
            changed = { ...entry, definition: def, aggregation: { kind: 'corpus', id: 'bleu', options: {} } };
          expect(() => compare(r, withEntry(changed), { resamples: 20 })).toThrow(MetricDefinitionError);
        },
      ),
      { seed: 20261207, numRuns: 200 },
    );
  });
});
