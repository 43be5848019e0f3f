import { evaluate } from '../src/index.js';
import type { Metric } from '../src/core/types.js';
const contains: Metric = { name: 'contains', kind: 'binary', score: ({ example, output }) => (output.includes(String(example.reference)) ? 1 : 0) };
const ds = Array.from({ length: 50000 }, (_, i) => ({ id: `q${i}`, input: `question ${i}`, reference: `${i}` }));
const plain = async (input: unknown) => `echo: ${String(input)}`;
await evaluate(ds.slice(0, 5000), plain, [contains], { concurrency: 256, progress: false, resamples: 200 });
const t = performance.now();
await evaluate(ds, plain, [contains], { concurrency: 256, progress: false, resamples: 200 });
console.log('rows/s', (50000 / ((performance.now() - t) / 1000)).toFixed(0));
