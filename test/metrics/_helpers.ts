import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { Example, ScoreContext } from '../../src/core/types.js';

/** Repo root, from this file's location. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Shared third-party fixtures, read at run time and never copied into the repo. */
export const referenceDir = resolve(repoRoot, '../shared/reference');

/** Whether a shared fixture exists; logs a one-line note when it does not (tests then skip). */
export function hasReference(file: string): boolean {
  const ok = existsSync(resolve(referenceDir, file));
  if (!ok) console.log(`note: ${resolve(referenceDir, file)} not found; skipping its parity tests`);
  return ok;
}

/** Rows of a shared JSONL fixture. */
export function readJsonl<T>(file: string): T[] {
  return readFileSync(resolve(referenceDir, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim().length > 0)
    .map((l) => JSON.parse(l) as T);
}

/** |got - want| <= tol * |want| (exact when want is 0). */
export function expectRel(got: number, want: number, tol = 1e-9, what = ''): void {
  const ok = got === want || Math.abs(got - want) <= tol * Math.abs(want);
  if (!ok) expect.fail(`${what} got ${got}, want ${want} (rel. tol. ${tol})`);
}

/** A score context for metric factories. */
export function ctx(reference: unknown, output: unknown, id: string | null = 'ex-1'): ScoreContext {
  const example: Example = id === null ? { input: 'q', reference } : { id, input: 'q', reference };
  return { example, output: output as string, signal: new AbortController().signal };
}

/** About 1 MB of English-like text with punctuation. */
export const ONE_MB = 'The quick brown fox, aged 3.5 years, jumps over the lazy dog (again). '.repeat(15_000);
