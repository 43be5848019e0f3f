// The library as a user runs it: the build in dist/ (tsc's output, what the npm package ships), not src/ through
// tsx. tsx compiles with esbuild's keepNames, which wraps every named closure in a `__name()` call
// (Object.defineProperty) each time it is created: a row of evaluate() makes several, so src/ through tsx measured
// ~1 µs a row (about a quarter of evaluate()'s own cost) that no user pays. The baselines beside it (bench/
// _baselineLoops.ts) make only anonymous closures, which keepNames leaves alone.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The newest modification time of a file under `dir`, ms. */
function newest(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return t;
}

let checked = false;

/**
 * Imports `dist/<path>` (e.g. `'index.js'`, `'stats/index.js'`), typed as the source module it was built from.
 * @throws {Error} When dist/ is missing or older than src/ (a stale build would measure other code).
 */
export async function built<T>(path: string): Promise<T> {
  if (!checked) {
    const dist = statSync(join(root, 'dist/index.js'), { throwIfNoEntry: false });
    if (dist === undefined || dist.mtimeMs < newest(join(root, 'src')))
      throw new Error(
        `dist/ is ${dist === undefined ? 'missing' : 'older than src/'}: run \`npm run build\` first (the benchmarks measure the built package, as users run it; \`npm run bench:throughput\` builds)`,
      );
    checked = true;
  }
  return (await import(pathToFileURL(join(root, 'dist', path)).href)) as T;
}
