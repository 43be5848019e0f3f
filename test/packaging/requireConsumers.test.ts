/**
 * A CommonJS consumer resolves every entry point. evalgate ships ES modules only, and Node.js >= 20.19 / 22.12
 * loads them from `require()` (require(esm)); TypeScript with `module: nodenext` compiles a `.cts` file's
 * `import { evaluate } from 'evalgate'` into that `require`, reading the `types` condition. So the runtime
 * conditions must match a `require` too: an `exports` entry that only lists `import` throws
 * ERR_PACKAGE_PATH_NOT_EXPORTED ("No "exports" main defined") for a build TypeScript accepted.
 *
 * Resolved through the package's self-reference, so no install is needed; the built file may be absent in a
 * clean clone (then the resolution reaches it and reports it missing, which is not this test's concern).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');

describe('a CommonJS consumer', () => {
  it.each(subpaths)('require.resolve finds the entry %s', (sub) => {
    const spec = sub === '.' ? 'evalgate' : `evalgate/${sub.slice(2)}`;
    const req = createRequire(resolve(ROOT, 'package.json'));
    let code: string | undefined;
    let resolved: string | undefined;
    try {
      resolved = req.resolve(spec);
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code, `require.resolve('${spec}')`).not.toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    if (resolved !== undefined) expect(resolved).toMatch(/[\\/]dist[\\/].+\.js$/);
  });
});
