/**
 * A built-in metric whose scores changed under the same options (a new scoring rule) records the rule it scored
 * by, `scoringRule` in its `config.metrics` entry, and compare() and the paired gate refuse a baseline scored by
 * the earlier rule as they refuse another definition: otherwise upgrading evalgate turns the rule's change into a
 * "significant" change of the system. A result that records no definitions at all (an earlier evalgate still)
 * compares as before, and a custom metric never gets a rule.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolArguments, trajectoryEfficiency } from '../../src/agents/index.js';
import { SCORING_RULES } from '../../src/core/metricDefinition.js';
import type { Metric } from '../../src/core/types.js';
import { MetricDefinitionError } from '../../src/errors.js';
import { evaluate } from '../../src/evaluate.js';
import { gEval } from '../../src/judge/index.js';
import { bertScore, exactMatch } from '../../src/metrics/index.js';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';

const N = 40;
const dataset = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: `answer ${i}` }));
const model = async (input: unknown) => `answer ${input as number}`;
const quiet = { progress: false, resamples: 50 } as const;
/** A metric scored by a rule evalgate changed, under the name `rule_metric`, scoring every row 1. */
const ruled = (m: Metric): Metric => ({ ...m, name: 'rule_metric', kind: 'binary', score: () => 1 });

type Entry = Record<string, unknown>;
const entries = (r: EvalResult) => r.config.metrics as Entry[];
/** `r` as the evalgate before the rule change wrote it: definitions, but no `scoringRule`. */
const beforeRules = (r: EvalResult): EvalResult =>
  ({
    ...r,
    config: { ...r.config, metrics: entries(r).map(({ scoringRule: _, ...rest }) => rest) },
  }) as EvalResult;

describe('scoring rules of built-in metrics', () => {
  const rules: [string, () => Metric][] = [
    [
      'bertScore',
      () =>
        bertScore({
          embedTokens: async (texts) => texts.map(() => ({ tokens: ['a'], embeddings: [[1, 0]] })),
        }),
    ],
    ['gEval', () => gEval({ model: 'judge', client: async () => '{"score": 3}', criteria: 'Coherence.' })],
    ['toolArguments', () => toolArguments()],
    ['trajectoryEfficiency', () => trajectoryEfficiency({ budget: { steps: 3 } })],
  ];

  it.each(rules)(
    '%s records its scoring rule, and a baseline scored by the earlier rule is refused',
    async (key, make) => {
      const rule = SCORING_RULES[key];
      expect(rule).toBeGreaterThanOrEqual(2);
      const run = () => evaluate(dataset, model, [exactMatch(), ruled(make())], quiet);
      const [base, cand] = [await run(), await run()];
      expect(entries(base)[1]!.scoringRule).toBe(rule);
      // The same rule on both sides: compared, no note.
      expect(compare(base, cand, { resamples: 50 }).metrics.rule_metric!.definitionChanged).toBeUndefined();
      const call = () => compare(beforeRules(base), cand, { resamples: 50 });
      expect(call).toThrow(MetricDefinitionError);
      expect(call).toThrow(`(baseline -> candidate: scoringRule: undefined -> ${rule})`);
      const allowed = compare(beforeRules(base), cand, { resamples: 50, allowDefinitionChange: true });
      expect(allowed.metrics.rule_metric!.definitionChanged).toContain(`scoringRule: undefined -> ${rule}`);
      // Only the metric whose rule changed: exact_match compares as before.
      expect(allowed.metrics.exact_match!.definitionChanged).toBeUndefined();
      // The paired gate refuses it before any call.
      let calls = 0;
      const counted = async (input: unknown) => {
        calls++;
        return model(input);
      };
      await expect(
        evaluate(dataset, counted, [ruled(make())], {
          ...quiet,
          gate: { baseline: beforeRules(base), metric: 'rule_metric', margin: 0.05 },
        }),
      ).rejects.toThrow(MetricDefinitionError);
      expect(calls).toBe(0);
    },
  );

  it('survives saveResult -> loadResult; a result without definitions compares as before', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-rules-'));
    const base = await evaluate(dataset, model, [ruled(toolArguments())], quiet);
    await saveResult(base, join(dir, 'base.json'));
    const loaded = await loadResult(join(dir, 'base.json'));
    expect(loaded.config.metrics).toEqual(base.config.metrics);
    expect(compare(loaded, base, { resamples: 50 }).metrics.rule_metric!.definitionChanged).toBeUndefined();
    const old = {
      ...loaded,
      config: {
        ...loaded.config,
        metrics: entries(loaded).map(({ definition: _d, scoringRule: _r, ...rest }) => rest),
      },
    } as EvalResult;
    expect(compare(old, base, { resamples: 50 }).metrics.rule_metric!.difference).toBe(0);
  });

  it('is never given to a custom metric, even one whose definition names a built-in', async () => {
    const custom: Metric = {
      name: 'mine',
      kind: 'binary',
      definition: { metric: 'toolArguments' },
      score: () => 1,
    };
    const r = await evaluate(dataset.slice(0, 3), model, [custom, exactMatch()], quiet);
    expect(entries(r).map((e) => e.scoringRule)).toEqual([undefined, undefined]);
  });
});
