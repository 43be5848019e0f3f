import { describe, expect, it } from 'vitest';
import {
  bleu,
  chrf,
  corpusBleu,
  corpusChrf,
  exactMatch,
  exactMatchScore,
  f1,
  sentenceBleu,
  sentenceChrf,
  tokenF1,
} from '../../src/metrics/index.js';
import { ctx, expectRel, hasReference, readJsonl } from './_helpers.js';

interface BleuRow {
  hypothesis: string;
  references: string[];
  sentence_bleu: number;
  sentence_chrf?: number;
}
interface SquadRow {
  id: string;
  prediction: string;
  references: string[];
  exact_match: number;
  f1: number;
}

const haveBleu = hasReference('bleu-dev.jsonl');
const haveSquad = hasReference('squad-dev.jsonl');

// Expected values: sacrebleu 2.6.0 sentence_bleu / sentence_chrf with default settings (see the fixture README).
describe.skipIf(!haveBleu)('bleu-dev.jsonl (sacrebleu 2.6.0)', () => {
  const rows = haveBleu ? readJsonl<BleuRow>('bleu-dev.jsonl') : [];

  it('has the 220 rows it documents', () => {
    expect(rows.length).toBe(220);
    expect(rows.filter((r) => r.sentence_chrf !== undefined).length).toBeGreaterThan(0);
  });

  it('matches sentence_bleu on every row to 1e-9 relative', () => {
    rows.forEach((r, i) => {
      expectRel(sentenceBleu(r.hypothesis, r.references).score, r.sentence_bleu, 1e-9, `row ${i}`);
    });
  });

  it('matches sentence_chrf on every row that has it to 1e-9 relative', () => {
    let n = 0;
    rows.forEach((r, i) => {
      if (r.sentence_chrf === undefined) return;
      n++;
      expectRel(sentenceChrf(r.hypothesis, r.references).score, r.sentence_chrf, 1e-9, `row ${i}`);
    });
    expect(n).toBe(200);
  });

  it('bleu() gives each example its sentence BLEU and aggregate(stats) equals corpusBleu', () => {
    const m = bleu();
    const stats = rows.map((r, i) => {
      const s = m.score(ctx(r.references, r.hypothesis, `row-${i}`)) as { value: number; stats: number[] };
      expectRel(s.value, r.sentence_bleu, 1e-9, `row ${i}`);
      return s.stats;
    });
    const corpus = corpusBleu(
      rows.map((r) => r.hypothesis),
      rows.map((r) => r.references),
    );
    expect(m.aggregate!(stats)).toBe(corpus.score);
    // Not the mean of sentence scores.
    const mean = rows.reduce((a, r) => a + r.sentence_bleu, 0) / rows.length;
    expect(Math.abs(corpus.score - mean)).toBeGreaterThan(0.5);
    // Summed statistics are integers and consistent with the result object.
    const sysLen = stats.reduce((a, s) => a + s[0], 0);
    expect(corpus.sysLen).toBe(sysLen);
  });

  it('chrf() gives each example its sentence chrF and aggregate(stats) equals corpusChrf', () => {
    const m = chrf();
    const withChrf = rows.filter((r) => r.sentence_chrf !== undefined);
    const stats = withChrf.map((r, i) => {
      const s = m.score(ctx(r.references, r.hypothesis, `row-${i}`)) as { value: number; stats: number[] };
      expectRel(s.value, r.sentence_chrf!, 1e-9, `row ${i}`);
      return s.stats;
    });
    const corpus = corpusChrf(
      withChrf.map((r) => r.hypothesis),
      withChrf.map((r) => r.references),
    );
    expect(m.aggregate!(stats)).toBe(corpus.score);
  });
});

// Expected values: the official SQuAD v2.0 evaluation logic (see the fixture README).
describe.skipIf(!haveSquad)('squad-dev.jsonl (official SQuAD v2.0 logic)', () => {
  const rows = haveSquad ? readJsonl<SquadRow>('squad-dev.jsonl') : [];

  it('has the 600 rows it documents, including unanswerable ones', () => {
    expect(rows.length).toBe(600);
    expect(rows.some((r) => r.references.length === 0)).toBe(true);
  });

  it('matches exact_match on every row exactly', () => {
    for (const r of rows) expect(exactMatchScore(r.prediction, r.references), r.id).toBe(r.exact_match);
  });

  it('matches f1 on every row to 1e-9 relative', () => {
    for (const r of rows) expectRel(tokenF1(r.prediction, r.references), r.f1, 1e-9, r.id);
  });

  it('the exactMatch() and f1() metrics agree with the pure functions on every row', () => {
    const em = exactMatch();
    const f = f1();
    for (const r of rows) {
      expect(em.score(ctx(r.references, r.prediction, r.id))).toBe(r.exact_match);
      expectRel(f.score(ctx(r.references, r.prediction, r.id)) as number, r.f1, 1e-9, r.id);
    }
  });
});
