/**
 * The layering rules of DESIGN.md, checked on the source as the TypeScript compiler parses it (type-only
 * imports, `export … from` and `import('…')` types included, since they couple the modules' contracts just the
 * same):
 *
 * - no import cycle between modules;
 * - folder order: the folders of `src/` (and its top-level files) sit on the levels of {@link FOLDER_ORDER},
 *   bottom to top, and a folder imports only folders on a lower level;
 * - no module reaches into another folder's private files (`_`-prefixed files and `_internal/` folders belong
 *   to the folder that holds them; `src/_internal/` holds the package-wide helpers and is open to every
 *   folder), nor imports another folder's `_`-prefixed exported name: what a folder needs from another is
 *   that folder's proper (un-prefixed) export;
 * - `stats/` is pure: it imports nothing outside itself but those helpers;
 * - no function in the call runtime (`calls/`) or the run (`run/`) is longer than
 *   {@link MAX_FUNCTION_LINES} lines.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');

/**
 * The folders of `src/` from the bottom level to the top one. A folder (or top-level file, named without
 * `.ts`) imports only names from a lower level; names on one level do not import each other. A new folder
 * must be placed here before the test passes.
 */
const FOLDER_ORDER: readonly (readonly string[])[] = [
  ['_internal'], // package-wide helpers: describe, validate, formatNumber, redis connections, atomic writes
  ['version', 'errors'], // the package version; the error classes
  ['core'], // Example, Dataset, Model, Metric, Usage, trajectories: types
  ['stats'], // pure statistics
  ['dataset'], // validation, loadJsonl, example placement
  ['cache'], // CacheStore, cacheKey, sqlite / memory / redis stores
  // The call runtime.
  ['calls'],
  ['providers'], // wrapOpenAI, wrapAnthropic, openaiModel, request routing
  ['ai-sdk'], // the `evalgate/ai-sdk` entry
  ['metrics'], // text metrics (the embedding metric uses a provider's client)
  ['result'], // the result document: EvalResult, Comparison, compare(), save / load (plain data)
  ['judge'], // LLM-as-judge and RAG metrics (their bias report is a result field)
  ['agents'], // trajectory metrics (goal completion uses a judge)
  ['run'], // options resolved once, the run object, row runner, score table, sinks, assembly
  ['cluster'], // coordinator and worker on BullMQ: feeds a run from Redis
  ['report'], // text tables, Markdown, HTML, notebook display
  ['vitest'], // matchers and reporter
  ['testing'], // the mock server
  ['evaluate'], // evaluate(): a short composition of run/ and cluster/ parts
  ['index'], // the package entry
  ['cli'], // the `evalgate` command
];

/** The longest function allowed in the call runtime and the run, in lines (p-queue's longest is ~130). */
const MAX_FUNCTION_LINES = 120;

/** One import of one module by another. */
interface Import {
  readonly from: string;
  readonly to: string;
  /** The names it imports or re-exports (`default` for a default import; none for `* as` or a side effect). */
  readonly names: readonly string[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

const parse = (file: string, text = readFileSync(file, 'utf8')) =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);

/** Every relative import of one module, type-only and dynamic ones included, resolved to a .ts path. */
function importsOf(file: string, source = parse(file)): Import[] {
  const found: Import[] = [];
  const add = (spec: string, names: string[]) => {
    if (spec.startsWith('.'))
      found.push({ from: file, to: resolve(dirname(file), spec).replace(/\.js$/, '.ts'), names });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const names: string[] = clause?.name ? ['default'] : [];
      const bindings = clause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings))
        for (const e of bindings.elements) names.push((e.propertyName ?? e.name).text);
      add(node.moduleSpecifier.text, names);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      const clause = node.exportClause;
      const names: string[] = [];
      if (clause && ts.isNamedExports(clause))
        for (const e of clause.elements) names.push((e.propertyName ?? e.name).text);
      add(node.moduleSpecifier.text, names);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, []);
    } else if (
      ts.isImportTypeNode(node) &&
      ts.isLiteralTypeNode(node.argument) &&
      ts.isStringLiteral(node.argument.literal)
    ) {
      add(
        node.argument.literal.text,
        node.qualifier
          ? [ts.isIdentifier(node.qualifier) ? node.qualifier.text : node.qualifier.getText()]
          : [],
      );
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Module -> the modules it imports (resolved to .ts paths under src/). */
function importGraph(imports: readonly Import[], files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const i of imports) graph.get(i.from)!.push(i.to);
  return graph;
}

const rel = (p: string) => relative(SRC, p).split(sep).join('/');

/** Every import cycle, as the list of modules on it (Tarjan's strongly connected components). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(rel(w));
      } while (w !== v);
      if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(scc.sort());
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

/** The folder that owns a private module, or undefined when the module is public. */
function privateOwner(path: string): string | undefined {
  const parts = rel(path).split('/');
  if (parts[0] === '_internal') return undefined; // package-wide helpers
  const i = parts.findIndex((p) => p.startsWith('_'));
  if (i <= 0) return undefined;
  return parts.slice(0, i).join('/');
}

/** The top-level folder of a module, or the name of a top-level file without `.ts`. */
const folderOf = (path: string) => rel(path).split('/')[0]!.replace(/\.ts$/, '');

/** The level of a folder in {@link FOLDER_ORDER}, or -1 when it is not placed. */
const levelOf = (folder: string, order = FOLDER_ORDER) => order.findIndex((level) => level.includes(folder));

/** Imports that go sideways or up the folder order, as `from -> to`. */
function orderViolations(imports: readonly Import[], order = FOLDER_ORDER): string[] {
  const bad: string[] = [];
  for (const i of imports) {
    const a = folderOf(i.from);
    const b = folderOf(i.to);
    if (a !== b && levelOf(b, order) >= levelOf(a, order)) bad.push(`${rel(i.from)} -> ${rel(i.to)}`);
  }
  return bad;
}

/** Imports of another folder's `_`-prefixed names (the package-wide `src/_internal/` excepted). */
function privateNameImports(
  imports: readonly Import[],
): { importer: string; module: string; name: string }[] {
  const bad: { importer: string; module: string; name: string }[] = [];
  for (const i of imports) {
    const b = folderOf(i.to);
    if (folderOf(i.from) === b || b === '_internal') continue;
    for (const name of i.names)
      if (name.startsWith('_')) bad.push({ importer: rel(i.from), module: rel(i.to), name });
  }
  return bad;
}

/** Functions (declarations, methods, arrows, accessors) longer than `max` lines, as `file name (lines)`. */
function longFunctions(file: string, source = parse(file), max = MAX_FUNCTION_LINES): string[] {
  const long: string[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line;
  const nameOf = (node: ts.SignatureDeclaration): string => {
    if (node.name !== undefined) return node.name.getText(source);
    const parent = node.parent;
    if (
      ts.isVariableDeclaration(parent) ||
      ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent)
    )
      return parent.name.getText(source);
    return `(anonymous at line ${lineOf(node.getStart(source)) + 1})`;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body !== undefined) {
      const lines = lineOf(node.end) - lineOf(node.getStart(source)) + 1;
      if (lines > max) long.push(`${rel(file)} ${nameOf(node)} (${lines} lines)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return long;
}

describe('module boundaries', () => {
  const files = sourceFiles(SRC);
  const imports = files.flatMap((f) => importsOf(f));
  const graph = importGraph(imports, files);

  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
  });

  it('places every folder of src/ in the folder order, once', () => {
    const folders = [...new Set(files.map(folderOf))].sort();
    expect(folders.filter((f) => levelOf(f) < 0)).toEqual([]);
    const placed = FOLDER_ORDER.flat();
    expect(new Set(placed).size).toBe(placed.length);
  });

  it('a folder imports only folders below it, type-only imports included', () => {
    expect(orderViolations(imports)).toEqual([]);
  });

  it('no module imports another folder’s private files', () => {
    const bad: string[] = [];
    for (const [from, targets] of graph)
      for (const to of targets) {
        const owner = privateOwner(to);
        if (owner !== undefined && !`${rel(from)}`.startsWith(`${owner}/`))
          bad.push(`${rel(from)} -> ${rel(to)}`);
      }
    expect(bad).toEqual([]);
  });

  it('no module imports another folder’s `_`-prefixed names', () => {
    const bad = privateNameImports(imports).map((i) => `${i.importer} -> ${i.module}: ${i.name}`);
    expect(bad).toEqual([]);
  });

  it('stats/ imports nothing above it', () => {
    const bad: string[] = [];
    for (const [from, targets] of graph) {
      if (!rel(from).startsWith('stats/')) continue;
      for (const to of targets)
        if (!rel(to).startsWith('stats/') && !rel(to).startsWith('_internal/'))
          bad.push(`${rel(from)} -> ${rel(to)}`);
    }
    expect(bad).toEqual([]);
  });

  // In Node 20 every enabled AsyncLocalStorage adds work to every promise the process makes (the user's too):
  // the row's scope and the request a wrapped client is sending share one (calls/callScope.ts).
  it('the library makes one AsyncLocalStorage', () => {
    const made: string[] = [];
    for (const file of files) {
      const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
      const visit = (node: ts.Node): void => {
        if (ts.isNewExpression(node) && node.expression.getText(source) === 'AsyncLocalStorage')
          made.push(rel(file));
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    expect(made).toEqual(['calls/callScope.ts']);
  });

  it(`no function in calls/ or run/ is longer than ${MAX_FUNCTION_LINES} lines`, () => {
    const checked = files.filter((f) => ['calls', 'run'].includes(folderOf(f)));
    expect(checked.length).toBeGreaterThan(10);
    const long = checked.flatMap((f) => longFunctions(f));
    expect(long).toEqual([]);
  });

  it('the checker sees a cycle and a private import when there is one', () => {
    const a = join(SRC, 'x/a.ts');
    const b = join(SRC, 'y/_b.ts');
    const g = new Map([
      [a, [b]],
      [b, [a]],
    ]);
    expect(cycles(g)).toEqual([['x/a.ts', 'y/_b.ts']]);
    expect(privateOwner(b)).toBe('y');
    expect(privateOwner(join(SRC, 'y/_internal/c.ts'))).toBe('y');
    expect(privateOwner(join(SRC, '_internal/validate.ts'))).toBeUndefined();
  });

  it('the checker reads type-only, re-exported and dynamic imports, with their names', () => {
    const file = join(SRC, 'run/x.ts');
    const text = [
      "import type { _Hidden, Shown } from '../cache/a.js';",
      "import def, { type _T as Alias } from '../core/b.js';",
      "export { _again } from './c.js';",
      "export * from '../report/d.js';",
      "type Lazy = import('../result/e.js')._Late;",
      "const later = () => import('../cluster/f.js');",
      '// import { _commented } from "../stats/g.js";',
    ].join('\n');
    const found = importsOf(file, parse(file, text)).map((i) => [rel(i.to), i.names]);
    expect(found).toEqual([
      ['cache/a.ts', ['_Hidden', 'Shown']],
      ['core/b.ts', ['default', '_T']],
      ['run/c.ts', ['_again']],
      ['report/d.ts', []],
      ['result/e.ts', ['_Late']],
      ['cluster/f.ts', []],
    ]);
  });

  it('the checker sees an import up or across the folder order, and a private name across folders', () => {
    const order = [['core'], ['run', 'cluster'], ['report']];
    const imp = (from: string, to: string, names: string[] = []): Import => ({
      from: join(SRC, from),
      to: join(SRC, to),
      names,
    });
    expect(
      orderViolations(
        [
          imp('run/a.ts', 'core/b.ts'),
          imp('run/a.ts', 'run/c.ts'),
          imp('run/a.ts', 'cluster/d.ts'),
          imp('core/b.ts', 'report/e.ts'),
        ],
        order,
      ),
    ).toEqual(['run/a.ts -> cluster/d.ts', 'core/b.ts -> report/e.ts']);
    expect(
      privateNameImports([
        imp('run/a.ts', 'run/c.ts', ['_same']),
        imp('run/a.ts', '_internal/v.ts', ['_describe']),
        imp('report/e.ts', 'run/c.ts', ['_other', 'fine']),
      ]),
    ).toEqual([{ importer: 'report/e.ts', module: 'run/c.ts', name: '_other' }]);
  });

  it('the checker measures every kind of function, nested ones included', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const text = [
      `export function declared() {\n${body(119)}\n}`, // 121 lines
      `export const arrow = () => {\n${body(118)}\n};`, // 120 lines: allowed
      `class K {\n  method() {\n${body(119)}\n  }\n}`,
      `export function outer() {\n  return function () {\n${body(121)}\n  };\n}`,
    ].join('\n');
    const file = join(SRC, 'run/x.ts');
    expect(longFunctions(file, parse(file, text))).toEqual([
      'run/x.ts declared (121 lines)',
      'run/x.ts method (121 lines)',
      'run/x.ts outer (125 lines)',
      expect.stringMatching(/^run\/x\.ts \(anonymous at line \d+\) \(123 lines\)$/),
    ]);
  });
});
