// Child process of sqliteMultiProcess.test.ts: writes `n` own entries and `n` shared ones to one SQLite cache,
// in concurrent batches so that its group commits interleave with the other writer's.
import { sqliteCache } from '../../src/cache/index.js';

const [path, name, nText] = process.argv.slice(2) as [string, string, string];
const n = Number(nText);
const store = sqliteCache(path, { busyTimeoutMs: 30_000 });
// Start barrier: tell the parent we are ready, then wait for its go, so both writers really overlap.
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
process.stdin.pause();
const started = Date.now();
for (let i = 0; i < n; i += 50) {
  const batch: Promise<void>[] = [];
  for (let j = i; j < Math.min(n, i + 50); j++) {
    batch.push(
      store.set(`${name}-${j}`, { value: { writer: name, j, text: 'x'.repeat(j % 200) } }) as Promise<void>,
    );
    batch.push(store.set(`shared-${j}`, { value: { j } }) as Promise<void>);
  }
  await Promise.all(batch);
}
const ended = Date.now();
await store.close();
process.stdout.write(JSON.stringify({ started, ended }));
