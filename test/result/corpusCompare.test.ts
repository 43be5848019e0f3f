/**
 * Corpus metrics are compared on the corpus score the run summaries show, re-aggregated from the saved
 * sufficient statistics by the aggregation each result records, by compare() and by `evalgate compare --json`
 * alike, with no aggregator passed in.
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../src/evaluate.js';
import { bleu, corpusBleu } from '../../src/metrics/bleu.js';
import { chrf } from '../../src/metrics/chrf.js';
import { precomputedModel } from '../../src/providers/precomputedModel.js';
import { compare } from '../../src/result/compare.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';

const root = join(import.meta.dirname, '../..');
const refs = Array.from(
  { length: 40 },
  (_, i) => `the quick brown fox number ${i} jumps over the lazy dog today`,
);
const data = refs.map((r, i) => ({ id: `s${i}`, input: i, reference: r }));
const words = (s: string, keep: number) => s.split(' ').slice(0, keep).join(' ');
const outputs = (keep: (i: number) => number) =>
  precomputedModel(Object.fromEntries(refs.map((r, i) => [`s${i}`, words(r, keep(i))])));

describe('corpus metrics re-aggregate by their recorded aggregation', () => {
  it('compare() and the CLI report corpus BLEU/chrF means equal to the run summaries', async () => {
    const opts = { resamples: 500, progress: false } as const;
    const base = await evaluate(
      data,
      outputs((i) => 3 + (i % 5)),
      [bleu(), chrf()],
      opts,
    );
    const cand = await evaluate(
      data,
      outputs((i) => 7 + (i % 4)),
      [bleu(), chrf()],
      opts,
    );
    expect(base.config.metrics).toEqual([
      expect.objectContaining({
        name: 'bleu',
        aggregation: expect.objectContaining({ kind: 'corpus', id: 'bleu' }),
      }),
      expect.objectContaining({
        name: 'chrf',
        aggregation: expect.objectContaining({ kind: 'corpus', id: 'chrf' }),
      }),
    ]);
    // The summary is corpus BLEU, not the mean of sentence BLEU.
    const hyps = refs.map((r, i) => words(r, 3 + (i % 5)));
    expect(base.metrics.bleu!.mean).toBe(
      corpusBleu(
        hyps,
        refs.map((r) => [r]),
      ).score,
    );
    const sentenceMean = base.scores.metrics.bleu!.reduce((a, b) => a! + b!, 0)! / 40;
    expect(Math.abs(sentenceMean - base.metrics.bleu!.mean)).toBeGreaterThan(1);

    const dir = await mkdtemp(join(tmpdir(), 'evalgate-corpus-'));
    await saveResult(base, join(dir, 'base.json'));
    await saveResult(cand, join(dir, 'cand.json'));
    const loadedBase = await loadResult(join(dir, 'base.json'));
    const loadedCand = await loadResult(join(dir, 'cand.json'));
    const cmp = compare(loadedBase, loadedCand, { resamples: 500 });
    for (const m of ['bleu', 'chrf']) {
      expect(cmp.metrics[m]!.baselineMean).toBe(base.metrics[m]!.mean);
      expect(cmp.metrics[m]!.candidateMean).toBe(cand.metrics[m]!.mean);
      expect(cmp.metrics[m]!.test).toBe('bootstrap');
    }

    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        join(root, 'node_modules/tsx/dist/cli.mjs'),
        join(root, 'src/cli.ts'),
        'compare',
        join(dir, 'base.json'),
        join(dir, 'cand.json'),
        '--json',
      ],
      { cwd: root },
    ).catch((e: { stdout: string }) => ({ stdout: e.stdout }));
    const json = JSON.parse(stdout) as {
      metrics: Record<string, { baselineMean: number; candidateMean: number }>;
    };
    for (const m of ['bleu', 'chrf']) {
      expect(json.metrics[m]!.baselineMean).toBe(base.metrics[m]!.mean);
      expect(json.metrics[m]!.candidateMean).toBe(cand.metrics[m]!.mean);
    }
  });
});
