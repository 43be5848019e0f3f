/**
 * A TSDoc @example a newcomer copies compiles against the real types. openaiModel's example calls the model by
 * hand, outside a run, with a context literal that lacked ModelContext's `call`; it now shows the model in a run.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** The code of the first @example block of a source file's TSDoc, without the comment's `*` margins. */
function firstExample(file: string): string {
  const text = readFileSync(resolve(ROOT, file), 'utf8');
  const m = /@example\s*\n\s*\* ```ts\n([\s\S]*?)\n\s*\* ```/.exec(text);
  if (m === null) throw new Error(`${file} has no @example`);
  return m[1]!
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''))
    .join('\n');
}

describe('TSDoc examples compile', () => {
  it('openaiModel', () => {
    const file = join(ROOT, 'node_modules', '.doc-example-openaiModel.ts');
    writeFileSync(
      file,
      [
        `import { evaluate, openaiModel } from '${join(ROOT, 'src/index.ts')}';`,
        `import { exactMatch } from '${join(ROOT, 'src/metrics/index.ts')}';`,
        firstExample('src/providers/openaiModel.ts'),
        'export {};',
      ].join('\n'),
    );
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      types: ['node'],
    };
    let problems: string[];
    try {
      const program = ts.createProgram([file], options);
      problems = ts
        .getPreEmitDiagnostics(program, program.getSourceFile(file))
        .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    } finally {
      rmSync(file, { force: true });
    }
    expect(problems).toEqual([]);
  }, 60_000);
});
