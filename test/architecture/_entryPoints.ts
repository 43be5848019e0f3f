/**
 * The package's entry points as the architecture tests read them: the source file of every `import` target in
 * package.json's `exports` (`./dist/X.js` is built from `src/X.ts`), and one TypeScript program over them whose
 * checker follows re-exports to their declarations. Nothing is type-checked.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import ts from 'typescript';

/** The repository's root folder. */
export const ROOT = resolve(import.meta.dirname, '../..');

/** The source file of every `import` target in package.json's `exports`. */
export function entryFiles(): string[] {
  const pkg = JSON.parse(readFileSync(resolve(ROOT, 'package.json'), 'utf8')) as {
    exports: Record<string, string | { import?: string }>;
  };
  return Object.values(pkg.exports).flatMap((target) => {
    const file = typeof target === 'string' ? undefined : target.import;
    const m = file === undefined ? null : /^\.\/dist\/(.+)\.js$/.exec(file);
    return m ? [resolve(ROOT, 'src', `${m[1]}.ts`)] : [];
  });
}

/** One program over the entry files, its checker, and the entry files themselves. */
export function entryProgram(): { entries: string[]; program: ts.Program; checker: ts.TypeChecker } {
  const entries = entryFiles();
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    noEmit: true,
    noLib: true,
    types: [],
  };
  // Only evalgate's own modules are read: what a re-export names is declared in src/, and reading the
  // dependencies' declarations (openai, vitest, bullmq, @types/node: some 900 files) takes seconds.
  const host = ts.createCompilerHost(options);
  host.resolveModuleNameLiterals = (literals, containingFile) =>
    literals.map((literal) => ({
      resolvedModule: literal.text.startsWith('.')
        ? {
            resolvedFileName: resolve(dirname(containingFile), literal.text.replace(/\.js$/, '.ts')),
            extension: ts.Extension.Ts,
          }
        : undefined,
    }));
  const program = ts.createProgram(entries, options, host);
  return { entries, program, checker: program.getTypeChecker() };
}
