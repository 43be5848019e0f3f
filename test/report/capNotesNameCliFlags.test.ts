// The example table's caps say how to raise them under both names: the option of htmlReport / writeHtmlReport
// and the flag of `evalgate report`. Regression: the byte note named only `maxExampleBytes` and the row note
// nothing, so a reader of a report made with `evalgate report` was pointed at an option the command does not
// take (its flags are --max-example-bytes and --max-examples).
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/index.js';
import { exampleRecord, makeResult } from '../vitest/_fixtures.js';

const run = (n: number) =>
  makeResult({
    examples: Array.from({ length: n }, (_, i) =>
      exampleRecord(`q${i}`, `output ${i} ${'x'.repeat(500)}`, { exact_match: i % 2 }),
    ),
  });

describe('the example caps name the option and the CLI flag', () => {
  it('the byte budget', () => {
    const html = renderHtmlReport(run(50), { maxExampleBytes: 5_000 });
    const n = Number(html.match(/<span id="shown-count">(\d+) of/)![1]);
    expect(html).toContain(
      `${50 - n} of 50 rows left out: the table stops at ${n} rows to stay under 0.005 MB (maxExampleBytes), which evalgate report sets with --max-example-bytes; every row is in the result file`,
    );
  });

  it('the row cap', () => {
    const html = renderHtmlReport(run(30), { maxExamples: 10 });
    expect(html).toContain(
      'showing the first 10 of 30 (maxExamples, which evalgate report sets with --max-examples)',
    );
  });
});
