/**
 * Summaries that match the run (issue 18, item 6), on every surface a user reads in-process: the text table,
 * the Markdown summary, the HTML report (and the reporter's table, through its formatter; the reporter in a real
 * vitest child is test/vitest/summaries.test.ts). Runs come from the real `evaluate()`: a gate that stops early
 * against an in-process model, judges that call the mock server through the official `openai` client, and a
 * run with segments.
 */
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EvalResult,
  type Example,
  evaluate,
  formatResultTable,
  formatSegmentTable,
  type Metric,
  markdownSummary,
  openaiModel,
  renderHtmlReport,
  resultBundle,
} from '../../src/index.js';
import { llmJudge, pairwiseJudge } from '../../src/judge/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { _round } from '../../src/report/_axis.js';
import { _formatNumber, formatGateCell, formatInterval, formatJudgeBias } from '../../src/report/format.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { _formatSummary, type EvalgateSummary } from '../../src/vitest/EvalgateSummary.js';
import { NOISE, visibleHtml } from './_noise.js';

const dataset: Example[] = Array.from({ length: 2000 }, (_, i) => ({
  id: `q${i}`,
  input: i,
  reference: 'yes',
}));
// Right on 9 of every 10 examples.
const model = async (input: unknown) => ((input as number) % 10 === 0 ? 'no' : 'yes');

/** The reporter's printed table for one recorded result (what `onTestRunEnd` prints). */
function reporterTable(r: EvalResult, name: string): string {
  const summary: EvalgateSummary = {
    kind: 'evalgate-vitest-summary',
    schemaVersion: 1,
    reason: 'passed',
    evals: [
      {
        kind: 'result',
        name,
        n: r.n,
        nFailed: r.nFailed,
        metrics: r.metrics,
        totals: r.totals,
        durationMs: r.run.durationMs,
        ...(r.gate === undefined ? {} : { gate: r.gate }),
        test: name,
        file: 'x.test.ts',
        state: 'passed',
      },
    ],
    totals: {
      results: 1,
      comparisons: 0,
      requests: r.totals.requests,
      costUsd: r.totals.costUsd,
      cacheHits: 0,
      cacheMisses: 0,
      failedRows: r.nFailed,
    },
  };
  return _formatSummary(summary);
}

/** Every surface of one result: text table, reporter table, Markdown, the HTML page's visible text. */
function surfaces(r: EvalResult, name = 'run'): Record<string, string> {
  return {
    text: formatResultTable(r),
    reporter: reporterTable(r, name),
    markdown: markdownSummary({ results: [{ ...r, name }] }),
    html: visibleHtml(renderHtmlReport(r)),
    notebook: visibleHtml(resultBundle(r)['text/html']),
  };
}

describe('a gated run shows the gate decision, not the bootstrap interval, wherever an interval is shown', () => {
  let gated: EvalResult;
  beforeAll(async () => {
    gated = await evaluate(dataset, model, [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 500,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
  });

  it('stopped early with a pass', () => {
    expect(gated.gate!.decision).toBe('pass');
    expect(gated.n).toBeLessThan(200);
    expect(gated.run.stoppedBy).toBe('decided');
  });

  it.each(['text', 'reporter', 'markdown', 'html', 'notebook'])('%s', (surface) => {
    const g = gated.gate!;
    const cell = formatGateCell(g);
    expect(cell).toBe(
      `gate pass after ${g.rows} rows · 95% CS [${_formatNumber(g.lower)}, ${_formatNumber(g.upper)}]`,
    );
    const bootstrap = formatInterval(gated.metrics.exact_match!.ci);
    expect(bootstrap).not.toBe(`[${_formatNumber(g.lower)}, ${_formatNumber(g.upper)}]`);
    const text = surfaces(gated)[surface]!;
    // Markdown escapes the brackets of the cell it did not format as a number.
    const shown = surface === 'markdown' ? cell.replace(/[[\]]/g, (c) => `\\${c}`) : cell;
    expect(text).toContain(shown);
    expect(text).not.toContain(bootstrap);
    expect(text).not.toContain(bootstrap.replace(/[[\]]/g, (c) => `\\${c}`));
  });

  it('the HTML panel draws the confidence sequence, not the bootstrap interval', () => {
    const html = renderHtmlReport(gated);
    const g = gated.gate!;
    expect(html).toMatch(
      new RegExp(`class="ci-bar"[^>]*data-low="${_round(g.lower)}"[^>]*data-high="${_round(g.upper)}"`),
    );
    expect(html).toContain(`<figcaption><span class="gate-cell">${formatGateCell(g)}</span></figcaption>`);
    const { low, high } = gated.metrics.exact_match!.ci;
    expect(html).not.toMatch(new RegExp(`data-low="${_round(low)}"[^>]*data-high="${_round(high)}"`));
  });

  it('an undecided gate (every row ran) shows the decision and the bootstrap interval, which then holds', async () => {
    const r = await evaluate(dataset.slice(0, 40), model, [exactMatch()], {
      concurrency: 1,
      progress: false,
      resamples: 500,
      gate: { metric: 'exact_match', atLeast: 0.89 },
    });
    expect(r.gate!.decision).toBe('undecided');
    const both = `${formatGateCell(r.gate!)} · bootstrap ${formatInterval(r.metrics.exact_match!.ci)}`;
    for (const [name, text] of Object.entries(surfaces(r)))
      expect(text, name).toContain(name === 'markdown' ? both.replace(/[[\]]/g, (c) => `\\${c}`) : both);
  });
});

describe('judge-bias numbers on every surface (real judges against the mock server)', () => {
  let server: MockServer;
  let judged: EvalResult;
  const tag = (text: string, name: string) =>
    new RegExp(`<${name}>\\n([\\s\\S]*?)\\n</${name}>`).exec(text)?.[1] ?? '';

  beforeAll(async () => {
    // Answers of varying length; a pointwise judge that likes long answers; a pairwise judge that always picks
    // the first position.
    server = await startMockServer({
      respond: (req) => {
        if (req.lastUserMessage.includes('<response_1>'))
          return JSON.stringify({ reason: 'the first one', winner: '1' });
        if (req.systemMessage.includes('evaluator')) {
          const len = tag(req.lastUserMessage, 'response').length;
          return JSON.stringify({ reason: 'long is good', score: Math.min(5, 1 + Math.floor(len / 20)) });
        }
        return 'x'.repeat(5 + (req.lastUserMessage.length % 7) * 15);
      },
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
    judged = await evaluate(
      Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, input: `question number ${i}` })),
      openaiModel({ client, model: 'same-model' }),
      [
        llmJudge({ client, model: 'same-model', rubric: 'Helpful.' }),
        pairwiseJudge({
          client,
          model: 'judge-2',
          criteria: 'Helpful.',
          baseline: () => 'a baseline answer',
        }),
      ],
      { progress: false, resamples: 500 },
    );
  });
  afterAll(async () => {
    await server.close();
  });

  it('the run measured them', () => {
    const j = judged.metrics.llm_judge!.judge!;
    expect([j.judgeModel, j.selfJudging, j.lengthCorrelation!.n]).toEqual(['same-model', true, 30]);
    expect(j.lengthCorrelation!.r).toBeGreaterThan(0.9);
    expect(judged.metrics.pairwise!.judge!.positionConsistency).toEqual({
      rate: 0,
      n: 30,
      firstPositionRate: 1,
    });
  });

  it.each(['text', 'reporter', 'markdown', 'html', 'notebook'])('%s', (surface) => {
    const text = surfaces(judged, 'judged')[surface]!;
    const esc = (s: string) => (surface === 'markdown' ? s.replace(/[[\]]/g, (c) => `\\${c}`) : s);
    for (const metric of ['llm_judge', 'pairwise']) {
      const line = formatJudgeBias(judged.metrics[metric]!.judge!);
      expect(text).toContain(esc(line));
    }
    const lc = judged.metrics.llm_judge!.judge!.lengthCorrelation!;
    expect(text).toContain(
      esc(
        `judge same-model (judges its own model: self-preference risk) · length r=${_formatNumber(lc.r, 3)} ${formatInterval(lc.ci, 3)} (n=30)`,
      ),
    );
    // The pairwise judge's scores are all ties (0.5): r is undefined, and said so.
    expect(text).toContain(
      'judge judge-2 · length r undefined: constant scores or lengths (n=30) · position consistency 0 (n=30; first position won 1)',
    );
    expect(text).not.toMatch(/NaN/);
  });

  it('the HTML report has a Judge bias section with one row per judged metric', () => {
    const html = renderHtmlReport(judged);
    expect(html).toContain('<section id="judge-bias"><h2>Judge bias</h2>');
    expect(html.match(/<tr data-metric="(llm_judge|pairwise)"><td>/g)).toHaveLength(2);
    expect(
      renderHtmlReport({
        ...judged,
        metrics: { x: { ...judged.metrics.llm_judge!, judge: undefined } },
      } as never),
    ).not.toContain('id="judge-bias"');
  });
});

describe('formatSegmentTable with one result', () => {
  const rows: Example[] = Array.from({ length: 12 }, (_, i) => ({
    id: `s${i}`,
    input: i,
    reference: i % 4 === 0 ? 'no' : String(i),
    metadata: { category: i < 8 ? 'billing' : 'shipping' },
  }));

  it('one line per segment x metric: estimate, interval, n, missing, method', async () => {
    const r = await evaluate(rows, async (x) => String(x), [exactMatch()], {
      segmentBy: 'category',
      progress: false,
      resamples: 500,
    });
    const table = formatSegmentTable(r);
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^segment\s+metric\s+estimate\s+95% CI\s+n\s+missing\s+method$/);
    const billing = r.segments!.billing!.exact_match!;
    const shipping = r.segments!.shipping!.exact_match!;
    expect([billing.mean, billing.n, shipping.mean, shipping.n]).toEqual([0.75, 8, 0.75, 4]);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^billing\\s+exact_match\\s+0\\.75\\s+${formatInterval(billing.ci).replace(/[[\].]/g, '\\$&')}\\s+8\\s+0\\s+${billing.ci.method}`,
        ),
      ),
      expect.stringMatching(
        new RegExp(
          `^shipping\\s+exact_match\\s+0\\.75\\s+${formatInterval(shipping.ci).replace(/[[\].]/g, '\\$&')}\\s+4\\s+0\\s+${shipping.ci.method}`,
        ),
      ),
    ]);
  });

  it('a run without segments gives an empty string', async () => {
    const r = await evaluate(rows.slice(0, 3), async (x) => String(x), [exactMatch()], { progress: false });
    expect(formatSegmentTable(r)).toBe('');
  });

  it.each([
    [
      null,
      'Expected `comparison` to be a comparison (from compare()) or a result (from evaluate()), got `null` (null)',
    ],
    [
      42,
      'Expected `comparison` to be a comparison (from compare()) or a result (from evaluate()), got `42` (number)',
    ],
    [
      { metrics: {} },
      'Expected `comparison` to be a comparison (from compare()) or a result (from evaluate()), got `object` (object)',
    ],
  ])('rejects %j', (value, message) => {
    expect(() => formatSegmentTable(value as never)).toThrow(TypeError);
    expect(() => formatSegmentTable(value as never)).toThrow(message);
  });
});

describe('numbers are never float noise (property over the formatter and every surface)', () => {
  it('_formatNumber / formatInterval: no residue, and the printed value is the number to 4 digits', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: -1, max: 1, noNaN: true }),
        (a, b) => {
          // Sums like 0.7 + 0.14 carry residue (0.8400000000000001); so do a + b - b and a * 3 / 3.
          for (const x of [a + b, a + b - b, (a * 3) / 3, a * 0.1 + b * 0.2]) {
            const s = _formatNumber(x);
            expect(s, String(x)).not.toMatch(NOISE);
            if (Math.abs(x) >= 1e-12) {
              const back = Number(s);
              // 4 significant digits; 3 in exponent form (below 1e-4 or from 1e9 on).
              const tol = Math.abs(x) < 1e-4 || Math.abs(x) >= 1e9 ? 5e-3 : 5e-4;
              expect(Math.abs(back - x), `${x} printed ${s}`).toBeLessThanOrEqual(tol * Math.abs(x));
            } else expect(s).toBe('0');
            const iv = formatInterval({ low: x * 1e-17, high: Math.abs(x) + 1 });
            expect(iv, `${x}`).not.toMatch(NOISE);
          }
        },
      ),
      { seed: 18, numRuns: 500 },
    );
  });

  const scoreOf = (c: { example: Example }) => (c.example.metadata as { s: number }).s;
  const metrics: Metric[] = [
    { name: 'quality', kind: 'continuous', bounds: [0, 1], score: scoreOf },
    { name: 'hit', kind: 'binary', score: (c) => (scoreOf(c) > 0.5 ? 1 : 0) },
  ];

  it('text table, segment table, reporter, Markdown and HTML of runs with noisy scores', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            s: fc.oneof(
              fc.constantFrom(0.1, 0.2, 0.3, 0.7, 0.14, 0.84),
              fc.double({ min: 0, max: 1, noNaN: true }),
            ),
            seg: fc.constantFrom('a', 'b'),
          }),
          { minLength: 1, maxLength: 20 },
        ),
        async (rows) => {
          const r = await evaluate(
            rows.map((row, i) => ({ id: `n${i}`, input: i, metadata: row })),
            async (x) => String(x),
            metrics,
            { segmentBy: 'seg', progress: false, resamples: 60 },
          );
          const all = { ...surfaces(r), segments: formatSegmentTable(r) };
          for (const [name, text] of Object.entries(all)) expect(text, name).not.toMatch(NOISE);
        },
      ),
      { seed: 1818, numRuns: 60 },
    );
  });
});
