/**
 * Writes examples/data/arithmetic.jsonl: 300 generated questions with exact answers (arithmetic, and
 * string look-ups such as "the 3rd letter of ..."), tagged with their task in metadata. Seeded, so the file is reproducible:
 *   npx tsx examples/data/makeArithmetic.ts
 */
import { writeFileSync } from 'node:fs';
import seedrandom from 'seedrandom';

const rng = seedrandom('evalgate-demo-v1');
const int = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const WORDS = [
  'harbor',
  'lantern',
  'meadow',
  'quartz',
  'velvet',
  'orchid',
  'glacier',
  'saffron',
  'thimble',
  'zephyr',
];
const ORD = ['1st', '2nd', '3rd', '4th', '5th'];

const rows: { id: string; input: string; reference: string; metadata: { task: string } }[] = [];
for (let i = 0; i < 300; i++) {
  const kind = i % 5;
  let input: string;
  let reference: string;
  let group: string;
  if (kind === 0) {
    const a = int(10, 999),
      b = int(10, 999);
    input = `What is ${a} + ${b}?`;
    reference = String(a + b);
    group = 'addition';
  } else if (kind === 1) {
    const a = int(100, 999),
      b = int(10, 99);
    input = `What is ${a} - ${b}?`;
    reference = String(a - b);
    group = 'subtraction';
  } else if (kind === 2) {
    const a = int(3, 40),
      b = int(3, 40);
    input = `What is ${a} * ${b}?`;
    reference = String(a * b);
    group = 'multiplication';
  } else if (kind === 3) {
    const w = WORDS[int(0, WORDS.length - 1)]!;
    const k = int(0, 4);
    input = `What is the ${ORD[k]} letter of the word "${w}"?`;
    reference = w[k]!;
    group = 'letters';
  } else {
    const w = WORDS[int(0, WORDS.length - 1)]!;
    input = `How many letters are in the word "${w}"?`;
    reference = String(w.length);
    group = 'length';
  }
  rows.push({ id: `q${String(i).padStart(3, '0')}`, input, reference, metadata: { task: group } });
}
writeFileSync(
  new URL('./arithmetic.jsonl', import.meta.url),
  `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`,
);
console.log(`wrote ${rows.length} examples`);
