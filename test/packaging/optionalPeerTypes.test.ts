/**
 * The declarations a consumer compiles name only the packages that consumer must have. The SDKs and stores are
 * optional peers (README, Install): a project that evaluates an in-process model installs none of them, and with
 * `skipLibCheck: false` (the setting test/vitest/typecheck.test.ts uses for the matchers) TypeScript checks
 * evalgate's `.d.ts` files too, so an `import type … from 'ioredis'` in a declaration reachable from `evalgate`
 * fails that project's build (`Cannot find module 'ioredis'`) although it never uses Redis.
 *
 * Each entry point's declarations are followed through their relative imports (declarations emitted per file
 * with `ts.transpileDeclaration`, as tsc keeps a type import used by an exported declaration), and the bare
 * packages they import are compared with what the entry may name.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { import?: string; default?: string }>;
  peerDependencies: Record<string, string>;
};

/** The packages an entry's types may import: its own optional peer, and `openai` for openaiModel's parameter types. */
const ALLOWED: Record<string, readonly string[]> = {
  '.': ['openai'],
  './ai-sdk': ['openai', 'ai'],
  './vitest': ['openai', 'vitest'],
  './vitest/reporter': ['openai', 'vitest'],
};

/** The bare packages (not `node:`) that the declarations reachable from `file` import, with the importing file. */
function declaredPackages(file: string, seen = new Set<string>(), out = new Map<string, string>()) {
  if (seen.has(file)) return out;
  seen.add(file);
  const { outputText } = ts.transpileDeclaration(readFileSync(file, 'utf8'), {
    fileName: file,
    compilerOptions: { module: ts.ModuleKind.NodeNext, target: ts.ScriptTarget.ES2022 },
  });
  const specs: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier)
      specs.push((node.moduleSpecifier as ts.StringLiteral).text);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument))
      specs.push((node.argument.literal as ts.StringLiteral).text);
    ts.forEachChild(node, visit);
  };
  visit(ts.createSourceFile(`${file}.d.ts`, outputText, ts.ScriptTarget.ES2022));
  for (const spec of specs) {
    if (spec.startsWith('.'))
      declaredPackages(resolve(dirname(file), spec.replace(/\.js$/, '.ts')), seen, out);
    else if (!spec.startsWith('node:')) {
      const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
      if (!out.has(name)) out.set(name, file.slice(ROOT.length + 1));
    }
  }
  return out;
}

describe('optional peers in the published types', () => {
  const entries = Object.entries(pkg.exports).flatMap(([sub, target]) => {
    const js = typeof target === 'string' ? target : (target.import ?? target.default);
    const m = js === undefined ? null : /^\.\/dist\/(.+)\.js$/.exec(js);
    return m ? [[sub, resolve(ROOT, 'src', `${m[1]}.ts`)] as const] : [];
  });

  it.each(entries)('%s: its declarations import no optional peer it does not need', (sub, file) => {
    const peers = Object.keys(pkg.peerDependencies);
    const allowed = ALLOWED[sub] ?? ['openai'];
    const named = [...declaredPackages(file)]
      .filter(([name]) => peers.includes(name) && !allowed.includes(name))
      .map(([name, from]) => `${name} (from ${from})`);
    expect(named).toEqual([]);
  });
});
