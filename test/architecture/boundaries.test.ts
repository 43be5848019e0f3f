/**
 * The layering rules of DESIGN.md, checked on the source text: no import cycle between modules (type-only
 * imports included, since they couple the modules' contracts just the same), and no module reaching into
 * another folder's private files (`_`-prefixed files and `_internal/` folders belong to the folder that holds
 * them; `src/_internal/` holds the package-wide helpers and is open to every folder). `stats/` is pure: it
 * imports nothing outside itself but those helpers.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../../src');
const IMPORT =
  /(?:^|[;\s])(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** Module -> the modules it imports (resolved to .ts paths under src/). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/^\s*\/\/.*$/gm, '');
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      targets.push(resolve(dirname(file), spec).replace(/\.js$/, '.ts'));
    }
    graph.set(file, targets);
  }
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

describe('module boundaries', () => {
  const graph = importGraph();

  it('reads the whole source tree', () => {
    expect(graph.size).toBeGreaterThan(100);
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
  });

  it('has no import cycle, type-only imports included', () => {
    expect(cycles(graph)).toEqual([]);
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
});
