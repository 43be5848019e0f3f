// Child of sqliteFullDisk.test.ts, started under `ulimit -f` so the kernel refuses writes past a size limit (EFBIG),
// as a full disk refuses them. Writes entries to the sqliteCache at argv[2], one at a time, until a write fails,
// and prints how many were stored and the failed write's error as one JSON line.
import { sqliteCache } from '../../src/cache/index.js';

const path = process.argv[2] as string;
const cache = sqliteCache(path);
let stored = 0;
let failure: Record<string, unknown> | undefined;
for (; stored < 2000 && failure === undefined; ) {
  try {
    await cache.set(`k${stored}`, { value: `${'x'.repeat(3000)} ${stored}` });
    stored++;
  } catch (err) {
    const e = err as { name: string; code?: string; reason?: string; path?: string; message: string };
    failure = { name: e.name, code: e.code, reason: e.reason, path: e.path, message: e.message };
  }
}
let closed = 'ok';
try {
  await cache.close();
} catch (err) {
  closed = String(err);
}
console.log(JSON.stringify({ stored, failure, closed }));
