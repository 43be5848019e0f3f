// The text summary and the HTML report of a gated run say what the gate decided, after how many rows, and
// what stopping saved (issue 14, item 4).
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, formatResultTable, renderHtmlReport } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const N = 1000;
const dataset: Example[] = Array.from({ length: N }, (_, i) => ({ id: `q${i}`, input: i, reference: 'yes' }));
// Right on 9 of every 10 examples; every row costs the same, so the saving is exact.
const model = async (input: unknown) => ((input as number) % 10 === 0 ? 'no' : 'yes');
const opts = { concurrency: 1, progress: false, resamples: 200 } as const;

describe('reports of a gated run', () => {
  it('the text summary has one line with the decision, the rows it took and what it saved', async () => {
    const r = await evaluate(dataset, model, [exactMatch()], {
      ...opts,
      gate: { metric: 'exact_match', atLeast: 0.7 },
    });
    const g = r.gate!;
    expect(g.decision).toBe('pass');
    const line = formatResultTable(r).split('\n').at(-1)!;
    const f = (x: number) => String(Number(x.toPrecision(4)));
    expect(line).toBe(
      `gate: pass, exact_match >= 0.7, after ${g.rows} of ${N} rows (95% confidence sequence [${f(g.lower)}, ${f(g.upper)}], prpl-eb) · ${N - r.n} rows skipped, about $0 saved`,
    );
  });

  it('a paired gate reads as non-inferior / inferior, and the HTML report carries the same line', async () => {
    const baseline = await evaluate(dataset, model, [exactMatch()], opts);
    const r = await evaluate(dataset, model, [exactMatch()], {
      ...opts,
      gate: { baseline, metric: 'exact_match', margin: 0.05 },
    });
    const text = formatResultTable(r);
    expect(text).toMatch(
      /\ngate: non-inferior, exact_match vs baseline, margin 0\.05, after \d+ of 1000 rows \(95% confidence sequence of the difference \[/,
    );
    const line = text.split('\n').at(-1)!;
    const html = renderHtmlReport(r);
    expect(html).toContain(
      `<p class="gate">${line.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</p>`,
    );
  });

  it('an ungated run has no gate line', async () => {
    const r = await evaluate(dataset.slice(0, 20), model, [exactMatch()], opts);
    expect(formatResultTable(r)).not.toContain('gate:');
    expect(renderHtmlReport(r)).not.toContain('class="gate"');
  });
});

describe('a gated result on disk', () => {
  it('round-trips through saveResult / loadResult, and a malformed gate is refused naming the field', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { loadResult, saveResult, ResultFormatError } = await import('../../src/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-gate-'));
    try {
      const r = await evaluate(dataset, model, [exactMatch()], {
        ...opts,
        gate: { metric: 'exact_match', atLeast: 0.7 },
      });
      const path = join(dir, 'gated.json');
      await saveResult(r, path);
      const back = await loadResult(path);
      expect(back.gate).toEqual(r.gate);
      expect(back.run.stoppedBy).toBe('decided');
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ ...r, gate: { ...r.gate, decision: 'maybe' } }));
      await expect(loadResult(bad)).rejects.toThrow(ResultFormatError);
      await expect(loadResult(bad)).rejects.toThrow(
        'expected `gate.decision` to be one of "pass" | "fail" | "undecided", got `"maybe"` (string)',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
