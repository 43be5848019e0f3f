/**
 * The Markdown summary names the confidence level its intervals were computed at: a comparison at 90% (or runs
 * evaluated at 90%) must not sit under a "95% CI" header.
 */
import { describe, expect, it } from 'vitest';
import { compare, type EvalResult, evaluate, markdownSummary } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const run = (wrongEvery: number, confidence = 0.95): Promise<EvalResult> =>
  evaluate(
    Array.from({ length: 200 }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' })),
    async (x) => ((x as number) % wrongEvery === 0 ? 'no' : 'yes'),
    [exactMatch()],
    {
      progress: false,
      resamples: 200,
      seed: 1,
      confidence,
      segmentBy: (e) => [String((e.input as number) % 2)],
    },
  );

/** The header cells of the table under `heading`. */
function header(md: string, heading: string): string[] {
  const lines = md.split('\n');
  const at = lines.findIndex((l) => l.startsWith(heading));
  const row = lines.slice(at + 1).find((l) => l.startsWith('|'))!;
  return row
    .split('|')
    .slice(1, -1)
    .map((c) => c.trim());
}

describe('markdownSummary: the level in the interval headers', () => {
  it('a comparison at 90% heads its differences and segment regressions "90% CI"', async () => {
    const c = compare(await run(10), await run(3), { confidence: 0.9, resamples: 200 });
    expect(c.metrics.exact_match!.ci.level).toBe(0.9);
    const md = markdownSummary({ comparisons: [{ name: 'v2', comparison: c }] });
    expect(md).not.toContain('95% CI');
    expect(header(md, '### Differences')).toContain('90% CI');
    expect(header(md, '### Segment regressions')).toContain('90% CI');
  });

  it('comparisons at two levels head the column "CI" and state each level in its cell', async () => {
    const [a, b] = [await run(10), await run(3)];
    const md = markdownSummary({
      comparisons: [
        { name: 'at 90', comparison: compare(a, b, { confidence: 0.9, resamples: 200 }) },
        { name: 'at 99', comparison: compare(a, b, { confidence: 0.99, resamples: 200 }) },
      ],
    });
    expect(header(md, '### Differences')).toContain('CI');
    expect(md).not.toContain('95% CI');
    const rows = md.split('\n').filter((l) => l.startsWith('| at 9'));
    expect(rows[0]).toContain('90% CI');
    expect(rows[1]).toContain('99% CI');
  });

  it('results evaluated at 90% head their estimates "90% CI"', async () => {
    const r = await run(10, 0.9);
    const md = markdownSummary({ results: [{ name: 'run', ...r }] });
    expect(md).not.toContain('95% CI');
    expect(header(md, '### Estimates')).toContain('90% CI');
  });
});
