// Child process of rougeLWorkCap.test.ts: ROUGE-L of two texts of a million CJK characters (a million tokens
// each) with default options, through the metric. Prints what happened as JSON; a run that takes minutes is
// killed by the parent's hang detector.
import { rougeL } from '../../src/metrics/index.js';

function cjk(n: number, seed: number): string {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out.push(String.fromCharCode(0x4e00 + (x % 3000)));
  }
  return out.join('');
}
const started = Date.now();
let outcome: { name: string; message: string } | { value: unknown };
try {
  const r = rougeL().score({
    example: { id: 'long', input: '', reference: cjk(1_000_000, 2) },
    output: cjk(1_000_000, 1),
    signal: new AbortController().signal,
  });
  outcome = { value: r };
} catch (err) {
  outcome = { name: (err as Error).name, message: (err as Error).message };
}
process.stdout.write(JSON.stringify({ ...outcome, ms: Date.now() - started }));
