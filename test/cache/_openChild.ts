// Child process of sqliteMultiProcess.test.ts: spins until the wall-clock start time it is given, then opens
// the (new) cache file, writes one entry and closes, so several processes create one file at the same moment.
import { sqliteCache } from '../../src/cache/index.js';

const [path, name, startAt] = process.argv.slice(2) as [string, string, string];
while (Date.now() < Number(startAt)) {
  // spin: a sleep would wake the processes milliseconds apart
}
const store = sqliteCache(path, { busyTimeoutMs: 30_000 });
await store.set(`open-${name}`, { value: { name } });
await store.close();
