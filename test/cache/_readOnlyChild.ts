// Child process of sqliteFiles.test.ts, started with the uid/gid of `nobody` (the tests run as root, and root
// ignores permission bits). Opens the cache at `path`, reads `key`, then tries to write, and prints what each
// step did as one JSON line, so the parent can check that a store on a read-only file or folder opens, serves
// reads, and refuses writes with a clear error instead of discarding them.
import { sqliteCache } from '../../src/cache/index.js';

const [path, key] = process.argv.slice(2) as [string, string];

function describeError(err: unknown) {
  const e = err as { name?: string; code?: string; reason?: string; path?: string; message?: string };
  return { name: e.name, code: e.code, reason: e.reason, path: e.path, message: e.message };
}

const out: Record<string, unknown> = { uid: process.getuid?.() };
try {
  const store = sqliteCache(path, { busyTimeoutMs: 2000 });
  out.opened = true;
  out.get = store.get(key) ?? null;
  out.has = store.has(key);
  out.size = (await store.stats()).size;
  try {
    await store.assertWritable?.();
    out.assertWritable = 'ok';
  } catch (err) {
    out.assertWritable = describeError(err);
  }
  try {
    await store.set('written-by-child', { value: 'x' });
    out.set = 'ok';
  } catch (err) {
    out.set = describeError(err);
  }
  await store.close();
} catch (err) {
  out.opened = false;
  out.openError = describeError(err);
}
process.stdout.write(`${JSON.stringify(out)}\n`);
