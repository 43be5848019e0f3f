// markdownSummary shows a result's warnings, keeps a title's trailing '#', and escapes emphasis and
// strikethrough in names so that a metric or segment reads as written. Regressions: `warnings` were dropped
// (a cost covering the priced calls only read as the whole cost); the title "nightly #" rendered as "nightly"
// (a closing ATX sequence); the metric "*judge*" rendered as an italic "judge", "_v2_" as "v2", "~~old~~" struck.
import { describe, expect, it } from 'vitest';
import { markdownSummary } from '../../src/report/markdownSummary.js';
import type { MetricSummary } from '../../src/result/EvalResult.js';

const summary = (mean: number): MetricSummary =>
  ({
    kind: 'binary',
    mean,
    ci: { low: mean - 0.1, high: mean + 0.1, level: 0.95, method: 'bca' },
    stderr: 0.05,
    n: 10,
    nMissing: 0,
  }) as MetricSummary;

const regressed = (metric: string, segment: string) => ({
  name: 'v2',
  comparison: {
    alpha: 0.05,
    adjustment: 'holm' as const,
    metrics: {},
    segments: [
      {
        segment,
        metric,
        n: 10,
        baselineMean: 0.5,
        candidateMean: 0.4,
        difference: -0.1,
        ci: { low: -0.2, high: -0.05, level: 0.95, method: 'bca' },
        test: 'mcnemar',
        pValue: 0.01,
        pAdjusted: 0.01,
        regressed: true,
      },
    ] as never,
  },
});

describe('markdownSummary emphasis, headings and warnings', () => {
  it.each([
    ['*judge*', '\\*judge\\*'],
    ['**bold**', '\\*\\*bold\\*\\*'],
    ['_v2_', '\\_v2\\_'],
    ['__init__', '\\_\\_init\\_\\_'],
    ['~~old~~', '\\~\\~old\\~\\~'],
    ['exact_match', 'exact_match'],
    ['a_b_c', 'a_b_c'],
    ['x *y', 'x \\*y'],
  ])('metric %j reads as written: %j', (metric, md) => {
    const out = markdownSummary({
      results: [{ name: 'run', n: 10, nFailed: 0, metrics: { [metric]: summary(0.5) } }],
    });
    expect(out).toContain(`| run | ${md} | 0.5 |`);
  });

  it('a segment name is escaped the same way', () => {
    const out = markdownSummary({ comparisons: [regressed('f1', '*EU*_beta_')] });
    expect(out).toContain('\\*EU\\*\\_beta\\_');
  });

  it.each([
    ['nightly #', '## nightly \\#'],
    ['run ##', '## run \\#\\#'],
    ['#', '## \\#'],
    ['issue #12', '## issue \\#12'],
  ])('title %j keeps its #: %j', (title, heading) => {
    expect(markdownSummary({ title }).split('\n')[0]).toBe(heading);
  });

  it("shows each result's warnings, escaped", () => {
    const out = markdownSummary({
      results: [
        {
          name: 'v2',
          n: 10,
          nFailed: 0,
          metrics: { em: summary(0.5) },
          warnings: ['cost covers the priced calls only: no price for <gpt-x> | *'],
        },
        { name: 'v1', n: 10, nFailed: 0, metrics: { em: summary(0.4) } },
      ],
    });
    expect(out).toContain('### Warnings');
    expect(out).toContain('- v2: cost covers the priced calls only: no price for &lt;gpt-x&gt; \\| \\*');
  });

  it('an EvalResult-shaped entry without warnings adds no section', () => {
    const out = markdownSummary({
      results: [{ name: 'v1', n: 10, nFailed: 0, metrics: { em: summary(0.4) } }],
    });
    expect(out).not.toContain('Warnings');
  });
});
