// Child of output.test.ts, started under `ulimit -f` so the kernel refuses writes past a size limit (EFBIG), the
// way a full disk refuses them (ENOSPC) — root ignores permission bits, not resource limits. It runs evaluate()
// with `output` at argv[2] over argv[3] rows and prints how the run ended as one JSON line.
import { evaluate } from '../../src/index.js';

const [path, rows] = [process.argv[2]!, Number(process.argv[3])];
const dataset = Array.from({ length: rows }, (_, i) => ({
  id: `e${i}`,
  input: `question ${i} ${'x'.repeat(80)}`,
}));
const metric = {
  name: 'len',
  kind: 'continuous' as const,
  score: ({ output }: { output: string }) => output.length,
};
try {
  await evaluate(dataset, async (input) => String(input), [metric], { output: path, concurrency: 2 });
  console.log(JSON.stringify({ settled: 'resolved' }));
} catch (err) {
  const e = err as { name: string; code?: string; message: string };
  console.log(JSON.stringify({ settled: 'rejected', name: e.name, code: e.code, message: e.message }));
}
