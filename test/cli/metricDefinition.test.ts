/** `evalgate compare` of two files whose metric of one name was defined differently: refused, or shown when allowed. */
import { access, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { baselineRun, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

/** The baseline run with `exact_match` recorded as `exactMatch` with `lowercase` as given. */
function withLowercase(lowercase: boolean): EvalResult {
  const r = baselineRun();
  const metrics = (r.config.metrics as Record<string, unknown>[]).map((m) =>
    m.name === 'exact_match' ? { ...m, definition: { lowercase, metric: 'exactMatch' } } : m,
  );
  return { ...r, config: { ...r.config, metrics } };
}

describe('evalgate compare of a metric defined differently', () => {
  it('exits 2 naming the metric and the change; --allow-definition-change compares and shows it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-definition-cli-'));
    const base = await writeRun(dir, 'base', withLowercase(true));
    const cand = await writeRun(dir, 'cand', withLowercase(false));
    const refused = await evalgate(['compare', base, cand]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'Metric "exact_match" is defined differently in the two results (baseline -> candidate: definition.lowercase: true -> false)',
    );
    const allowed = await evalgate(['compare', base, cand, '--allow-definition-change']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain(
      "the metric's definition changed (baseline -> candidate: definition.lowercase: true -> false)",
    );
    const markdown = await evalgate([
      'compare',
      base,
      cand,
      '--allow-definition-change',
      '--format',
      'markdown',
    ]);
    // The cell escapes `>` as Markdown needs; the change is named all the same.
    expect(markdown.stdout).toContain('definition.lowercase: true -&gt; false');
  });
});

describe('evalgate report --baseline of a metric defined differently', () => {
  // Each case starts the CLI once or twice: time enough on a busy machine.
  const slow = 120_000;
  const files = (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-definition-report-'));
    return {
      dir,
      base: await writeRun(dir, 'base', withLowercase(true)),
      cand: await writeRun(dir, 'cand', withLowercase(false)),
    };
  })();

  it(
    'exits 2 naming the metric and the flag, and writes no report',
    async () => {
      const { dir, base, cand } = await files;
      const out = join(dir, 'refused.html');
      const refused = await evalgate(['report', cand, '--baseline', base, '-o', out]);
      // Not a report that silently lacks the comparison asked for, with exit 0: refused as `compare` refuses it.
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(
        'Metric "exact_match" is defined differently in the two results (baseline -> candidate: definition.lowercase: true -> false)',
      );
      expect(refused.stderr).toContain('no report written; pass --allow-definition-change to compare anyway');
      await expect(access(out)).rejects.toThrow(/ENOENT/);
    },
    slow,
  );

  it(
    '--allow-definition-change draws the comparison and marks the change',
    async () => {
      const { dir, base, cand } = await files;
      const out = join(dir, 'allowed.html');
      const allowed = await evalgate([
        'report',
        cand,
        '--baseline',
        base,
        '-o',
        out,
        '--allow-definition-change',
      ]);
      expect(allowed.code).toBe(0);
      expect(allowed.stderr).not.toContain('no comparison');
      expect(await readFile(out, 'utf8')).toContain('definition.lowercase: true -&gt; false');
    },
    slow,
  );

  it(
    '--allow-definition-change without --baseline is refused, not ignored',
    async () => {
      const { dir, cand } = await files;
      const alone = await evalgate([
        'report',
        cand,
        '-o',
        join(dir, 'alone.html'),
        '--allow-definition-change',
      ]);
      expect(alone.code).toBe(2);
      expect(alone.stderr).toContain('--allow-definition-change needs --baseline');
    },
    slow,
  );
});
