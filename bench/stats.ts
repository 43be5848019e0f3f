/**
 * Benchmark of evalgate's bootstrap against scipy.stats.bootstrap, measured in the same run.
 * Run: npx tsx bench/stats.ts   (needs python3 with scipy; prints ratios, never fails on timing)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import seedrandom from 'seedrandom';
import { bootstrapCI } from '../src/stats/index.js';

const rand = seedrandom.alea('bench-stats');
const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
const continuous = (n: number) => Float64Array.from({ length: n }, () => 0.6 + 0.2 * normal());
const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MB`;

function time<T>(fn: () => T, repeats = 3): { seconds: number; value: T } {
  let best = Number.POSITIVE_INFINITY;
  let value!: T;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    value = fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return { seconds: best, value };
}

console.log('evalgate bootstrapCI vs scipy.stats.bootstrap (BCa, 9999 resamples, statistic = mean)\n');

// 1. n = 10,000 continuous, against scipy on the same data.
const x10k = continuous(10_000);
bootstrapCI(x10k, { resamples: 999 }); // warm-up (JIT)
const ours10k = time(() => bootstrapCI(x10k));
const dir = mkdtempSync(join(tmpdir(), 'evalgate-bench-'));
const file = join(dir, 'x.f64');
writeFileSync(file, Buffer.from(x10k.buffer));
const py = spawnSync('python3', [new URL('./stats_scipy.py', import.meta.url).pathname, file], {
  encoding: 'utf8',
});
rmSync(dir, { recursive: true, force: true });
const r10 = ours10k.value;
console.log(
  `n = 10,000 continuous: evalgate ${ours10k.seconds.toFixed(3)} s (best of 3), CI [${r10.low.toFixed(6)}, ${r10.high.toFixed(6)}]`,
);
if (py.status === 0) {
  const s = JSON.parse(py.stdout.trim().split('\n').pop() as string);
  console.log(
    `                      scipy ${s.scipy} ${s.seconds.toFixed(3)} s (timed inside python, peak RSS ${s.maxRssMB.toFixed(0)} MB), CI [${s.low.toFixed(6)}, ${s.high.toFixed(6)}]`,
  );
  const ratio = s.seconds / ours10k.seconds;
  console.log(
    `                      speed-up: ${ratio.toFixed(1)}x (target >= 20x)${ratio >= 20 ? '' : '  <-- below target'}`,
  );
} else {
  console.log(`                      scipy baseline failed to run: ${py.stderr.trim().split('\n').pop()}`);
}

// 2. n = 100,000 continuous: scipy is not run.
const x100k = continuous(100_000);
const ours100k = time(() => bootstrapCI(x100k), 1);
console.log(
  `\nn = 100,000 continuous: evalgate ${ours100k.seconds.toFixed(3)} s (target < 3 s). scipy not run: its BCa jackknife materializes ` +
    'an n x (n-1) array (1e10 float64 = 80 GB) and its resampling a 9999 x n one (8 GB).',
);

// 3. n = 1,000,000 binary: multinomial count resampling.
const b1m = Float64Array.from({ length: 1_000_000 }, () => (rand() < 0.7 ? 1 : 0));
const ours1m = time(() => bootstrapCI(b1m), 1);
console.log(
  `\nn = 1,000,000 binary: evalgate ${ours1m.seconds.toFixed(3)} s (target < 1 s), resampling '${ours1m.value.resampling}', CI [${ours1m.value.low.toFixed(6)}, ${ours1m.value.high.toFixed(6)}]`,
);

const mem = process.memoryUsage();
console.log(
  `\npeak memory (this process): maxRSS ${mb(process.resourceUsage().maxRSS * 1024)}; now rss ${mb(mem.rss)}, heapUsed ${mb(mem.heapUsed)}, arrayBuffers ${mb(mem.arrayBuffers)}`,
);
