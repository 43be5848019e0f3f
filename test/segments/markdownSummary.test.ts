import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare, type EvalResult } from '../../src/index.js';
import { markdownSummary } from '../../src/report/markdownSummary.js';
import { runOf } from './_segmentRuns.js';

const root = join(import.meta.dirname, '../..');

let baseline: EvalResult;
let candidate: EvalResult;
beforeAll(async () => {
  [baseline, candidate] = await Promise.all([runOf('baseline'), runOf('candidate')]);
}, 60_000);

describe('markdownSummary', () => {
  it('renders estimates, differences and segment regressions (snapshot)', async () => {
    const md = markdownSummary({
      title: 'support bot',
      results: [
        { name: 'baseline', ...baseline },
        { name: 'candidate', ...candidate },
      ],
      comparisons: [{ name: 'prompt v2', comparison: compare(baseline, candidate, { resamples: 999 }) }],
    });
    await expect(md).toMatchFileSnapshot('./__snapshots__/markdownSummary.md');
    expect(md).toContain('### Segment regressions\n\n2 of 8 segment × metric cells regressed');
  });

  it('says so when no segment regressed, and shows the margin column when there is one', () => {
    const md = markdownSummary({
      comparisons: [
        { name: 'same', comparison: compare(baseline, baseline, { resamples: 99, margin: 0.02 }) },
      ],
    });
    expect(md).toContain('No segment regressed (8 segment × metric cells, p-values adjusted across them).');
    expect(md).toContain('| non-inferior (margin) |');
    expect(md).toContain('| yes (0.02) |');
  });

  it('keeps names as text: pipes, line breaks and markup cannot break the table', () => {
    const md = markdownSummary({
      title: '<script>x</script>',
      results: [{ name: 'a | b\n<img src=x onerror=alert(1)>', n: 1, nFailed: 0, metrics: baseline.metrics }],
    });
    expect(md.startsWith('## &lt;script&gt;x&lt;/script&gt;\n')).toBe(true);
    expect(md).toContain('| a \\| b &lt;img src=x onerror=alert(1)&gt; | exact_match |');
    expect(md).not.toContain('<img');
    for (const line of md.split('\n').filter((l) => l.startsWith('| a')))
      expect(line.split(/(?<!\\)\|/).length - 2).toBe(6);
  });

  it.each([
    [null, 'Expected `input` to be an object, got `null` (null)'],
    [{ results: {} }, 'Expected `input.results` to be an array, got `object` (object)'],
  ])('refuses %j', (input, message) => {
    expect(() => markdownSummary(input as never)).toThrow(message);
  });
});

describe('the vitest reporter and GITHUB_STEP_SUMMARY', () => {
  it('appends the Markdown summary to the file GITHUB_STEP_SUMMARY names', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'evalgate-step-')), 'step_summary.md');
    writeFileSync(file, '# an earlier step\n\n');
    const child = spawnSync(
      process.execPath,
      [
        join(root, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'test/segments/fixtures/summary-suite/vitest.config.ts',
      ],
      {
        cwd: root,
        encoding: 'utf8',
        timeout: 110_000,
        env: { ...process.env, GITHUB_STEP_SUMMARY: file, NO_COLOR: '1', CI: '' },
      },
    );
    expect(child.status, child.stderr).toBe(1); // the fixture's segment gate fails on "billing"
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('# an earlier step\n\n## evalgate (vitest run failed)\n')).toBe(true);
    expect(text).toContain('| candidate &lt;b&gt;v2&lt;/b&gt; ✗ | exact_match |');
    expect(text).toContain('| support bot: no category regresses ✗ | billing | exact_match |');
    expect(text).toContain('2 of 8 segment × metric cells regressed');
  }, 120_000);
});
