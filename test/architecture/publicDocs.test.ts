/**
 * Every public symbol is documented (STYLE.md, Documentation): the entry points are the `import` targets of
 * package.json's `exports` (`./dist/X.js` is built from `src/X.ts`), and every function, class and constant
 * they export, re-exports followed to the declaration, has a TSDoc comment; every function and class (a
 * `const` holding a function counts as one) also has an `@example`. One `ts.createProgram` over the entry
 * files; the checker resolves the re-exports, nothing is type-checked.
 */
import { relative, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { entryFiles, entryProgram, ROOT } from './_entryPoints.js';

type Kind = 'function' | 'class' | 'const';

/** One exported value of one entry point, with what its documentation lacks. */
interface Exported {
  readonly entry: string;
  readonly name: string;
  readonly kind: Kind;
  readonly where: string;
  readonly hasDoc: boolean;
  readonly hasExample: boolean;
}

function kindOf(decl: ts.Declaration): Kind | undefined {
  if (ts.isFunctionDeclaration(decl)) return 'function';
  if (ts.isClassDeclaration(decl)) return 'class';
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer;
    return init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) ? 'function' : 'const';
  }
  return undefined;
}

/** Every exported function, class and constant of the entry points, each declaration once per entry. */
function exportedValues(): Exported[] {
  const { entries, program, checker } = entryProgram();
  const found: Exported[] = [];
  for (const file of entries) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file} (named in package.json "exports") does not exist`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) continue; // an entry without exports
    const entry = relative(ROOT, file).split(sep).join('/');
    const seen = new Set<ts.Declaration>();
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const decls = (symbol.declarations ?? []).filter((d) => kindOf(d) !== undefined);
      const first = decls[0];
      if (first === undefined || seen.has(first)) continue; // a type, or `export default` of a name already seen
      seen.add(first);
      // Overloads: the documentation sits on one of the signatures, often not the implementation.
      const tags = decls.flatMap((d) => ts.getJSDocCommentsAndTags(d));
      const declFile = first.getSourceFile();
      const line = declFile.getLineAndCharacterOfPosition(first.getStart()).line + 1;
      found.push({
        entry,
        name: exported.name === 'default' ? `default (${symbol.name})` : exported.name,
        kind: kindOf(first)!,
        where: `${relative(ROOT, declFile.fileName).split(sep).join('/')}:${line}`,
        hasDoc: tags.length > 0,
        hasExample: decls.some((d) => ts.getJSDocTags(d).some((t) => t.tagName.text === 'example')),
      });
    }
  }
  return found;
}

const describeMissing = (list: readonly Exported[], what: string) =>
  list.length === 0
    ? ''
    : `${list.length} exported value(s) without ${what}:\n${list
        .map((e) => `  ${e.name} (${e.kind}, ${e.where}; exported from ${e.entry})`)
        .join('\n')}`;

describe('public documentation', () => {
  const values = exportedValues();

  it('reads every entry point of package.json "exports"', () => {
    expect(entryFiles().length).toBeGreaterThanOrEqual(10);
    expect(new Set(values.map((v) => v.entry)).size).toBe(entryFiles().length);
    expect(values.length).toBeGreaterThan(100);
    expect(values.map((v) => v.name)).toEqual(
      expect.arrayContaining(['evaluate', 'EvalgateError', 'VERSION', 'wilcoxonSignedRankTest']),
    );
  });

  it('every exported function, class and constant has a TSDoc comment', () => {
    expect(
      describeMissing(
        values.filter((v) => !v.hasDoc),
        'a TSDoc comment',
      ),
    ).toBe('');
  });

  it('every exported function and class has an @example', () => {
    expect(
      describeMissing(
        values.filter((v) => v.kind !== 'const' && !v.hasExample),
        'an @example',
      ),
    ).toBe('');
  });
});
