/**
 * Metrics throughput: sentence BLEU on the shared bleu-dev fixture next to NLTK's sentence_bleu on the same
 * pairs (baseline measured in the same run), and SQuAD EM / F1 on 100k pairs.
 *
 * Run: `npx tsx bench/metrics.ts`. Throughputs are best-of-5 rounds on both sides. The NLTK baseline needs a python3 with nltk (`apt-get install -y python3-nltk`);
 * without one it is reported as missing. evalgate's timing includes 13a tokenization; NLTK's does not (its pairs
 * are tokenized once, by evalgate's tokenize13a, and only `sentence_bleu` is timed inside python), which favours
 * the baseline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exactMatchScore, sentenceBleu, tokenF1, tokenize13a } from '../src/metrics/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const referenceDir = resolve(here, '../../shared/reference');

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(referenceDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);
}

/**
 * Items per second of `fn` over `items`: best of 5 rounds of at least `minMs` each (timeit's convention, the
 * least disturbed by other processes on a shared machine), after a warm-up pass.
 */
function throughput<T>(items: readonly T[], fn: (x: T) => unknown, minMs = 400): { perSecond: number } {
  for (const x of items) fn(x);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      for (const x of items) fn(x);
      n += items.length;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    best = Math.max(best, (n / elapsed) * 1000);
  }
  return { perSecond: best };
}

function findPythonWithNltk(): string | undefined {
  for (const py of ['python3', '/usr/bin/python3', 'python']) {
    const r = spawnSync(py, ['-c', 'import nltk'], { stdio: 'ignore' });
    if (r.status === 0) return py;
  }
  return undefined;
}

const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: 0 });

if (!existsSync(join(referenceDir, 'bleu-dev.jsonl'))) {
  console.log(`note: ${referenceDir}/bleu-dev.jsonl not found; nothing to benchmark`);
  process.exit(0);
}

// --- sentence BLEU vs NLTK -------------------------------------------------------------------------------------
interface BleuRow {
  hypothesis: string;
  references: string[];
}
const rows = readJsonl<BleuRow>('bleu-dev.jsonl');
const ours = throughput(rows, (r) => sentenceBleu(r.hypothesis, r.references));
const meanOurs = rows.reduce((a, r) => a + sentenceBleu(r.hypothesis, r.references).score, 0) / rows.length;
const hypTokens = rows.reduce((a, r) => a + tokenize13a(r.hypothesis).split(' ').length, 0) / rows.length;
console.log(
  `sentence BLEU on bleu-dev.jsonl (${rows.length} pairs, mean hypothesis ${hypTokens.toFixed(0)} tokens)`,
);
console.log(
  `  evalgate sentenceBleu (13a tokenization + scoring): ${fmt(ours.perSecond)} pairs/s  (mean BLEU ${meanOurs.toFixed(2)})`,
);

const python = findPythonWithNltk();
if (python === undefined) {
  console.log(
    '  NLTK baseline: no python3 with nltk found (apt-get install -y python3-nltk); ratio not measured',
  );
} else {
  const dir = mkdtempSync(join(tmpdir(), 'evalgate-bench-'));
  try {
    const pairs = rows.map((r) => ({
      hyp: tokenize13a(r.hypothesis).split(' '),
      refs: r.references.map((x) => tokenize13a(x).split(' ')),
    }));
    const repeat = Math.max(1, Math.round(1000 / rows.length));
    const file = join(dir, 'pairs.json');
    writeFileSync(file, JSON.stringify({ pairs, repeat }));
    const out = execFileSync(python, [join(here, 'metrics_nltk.py'), file], { encoding: 'utf8' });
    const nltk = JSON.parse(out.trim().split('\n').pop()!) as {
      nltk: string;
      python: string;
      pairs_per_second: number;
      mean_bleu: number;
    };
    console.log(
      `  NLTK ${nltk.nltk} sentence_bleu, method3 smoothing (python ${nltk.python}, scoring only): ${fmt(nltk.pairs_per_second)} pairs/s  (mean BLEU ${nltk.mean_bleu.toFixed(2)})`,
    );
    const ratio = ours.perSecond / nltk.pairs_per_second;
    console.log(
      `  ratio evalgate / NLTK: ${ratio.toFixed(2)}x  (target >= 3x: ${ratio >= 3 ? 'met' : 'NOT met'})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// --- SQuAD EM / F1 on 100k pairs -------------------------------------------------------------------------------
interface SquadRow {
  prediction: string;
  references: string[];
}
const squad = existsSync(join(referenceDir, 'squad-dev.jsonl')) ? readJsonl<SquadRow>('squad-dev.jsonl') : [];
if (squad.length > 0) {
  const pairs = Array.from({ length: 100_000 }, (_, i) => squad[i % squad.length]);
  const time = (fn: (r: SquadRow) => unknown) => {
    for (const r of pairs.slice(0, 5000)) fn(r);
    const start = performance.now();
    for (const r of pairs) fn(r);
    return performance.now() - start;
  };
  const emMs = time((r) => exactMatchScore(r.prediction, r.references));
  const f1Ms = time((r) => tokenF1(r.prediction, r.references));
  console.log(`SQuAD on 100,000 pairs (squad-dev.jsonl cycled)`);
  console.log(`  exactMatchScore: ${emMs.toFixed(0)} ms  (${fmt((100_000 / emMs) * 1000)} pairs/s)`);
  console.log(`  tokenF1:         ${f1Ms.toFixed(0)} ms  (${fmt((100_000 / f1Ms) * 1000)} pairs/s)`);
}
