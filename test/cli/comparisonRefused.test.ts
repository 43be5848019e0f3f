/**
 * Two result files that cannot be compared, for every reason `compare()` has (each `ComparisonError` it throws,
 * enumerated from the source below, so a new reason fails here until it is handled): `evalgate compare` and
 * `evalgate report --baseline` both exit 2 with the reason, print no table, and the report writes no file. A report
 * without the comparison asked for, exit 0, passes in CI for one that has it.
 */
import { access, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compare } from '../../src/result/compare.js';
import type { EvalResult } from '../../src/result/EvalResult.js';
import { baselineRun, runWith, withoutMetric, writeRun } from './_resultFiles.js';
import { evalgate } from './_runCli.js';

const root = join(import.meta.dirname, '../..');
const slow = 120_000;

/** `r` with each row's id or trial rewritten, in the records and the score table alike. */
function rekeyed(r: EvalResult, id: (id: string) => string, trial: (t: number) => number): EvalResult {
  return {
    ...r,
    examples: r.examples.map((e) => ({ ...e, id: id(e.id), trial: trial(e.trial) })),
    scores: { ...r.scores, ids: r.scores.ids.map(id), trials: r.scores.trials.map(trial) },
  };
}

/** `r` with `exact_match` recorded as `exactMatch` with `lowercase` as given. */
function withLowercase(r: EvalResult, lowercase: boolean): EvalResult {
  const metrics = (r.config.metrics as Record<string, unknown>[]).map((m) =>
    m.name === 'exact_match' ? { ...m, definition: { lowercase, metric: 'exactMatch' } } : m,
  );
  return { ...r, config: { ...r.config, metrics } };
}

/** `r` with f1 recorded as a corpus BLEU whose sufficient statistics (`scores.stats`) are missing. */
function corpusWithoutStats(r: EvalResult): EvalResult {
  const aggregation = { kind: 'corpus', id: 'bleu', options: {} };
  return {
    ...r,
    metrics: { ...r.metrics, f1: { ...r.metrics.f1!, aggregation: 'corpus' } },
    config: {
      ...r.config,
      metrics: (r.config.metrics as Record<string, unknown>[]).map((m) =>
        m.name === 'f1' ? { ...m, aggregation } : m,
      ),
    },
  };
}

/** `r` sliced by `segmentBy` (recorded as the field's name), every row in segment "a" or "b". */
function segmentedBy(r: EvalResult, segmentBy: string): EvalResult {
  return {
    ...r,
    config: { ...r.config, segmentBy },
    scores: { ...r.scores, segments: r.scores.ids.map((_, i) => [i % 2 === 0 ? 'a' : 'b']) },
  };
}

/** The baseline with its second row a copy of its first (same id and trial). */
function duplicated(r: EvalResult): EvalResult {
  const id0 = r.scores.ids[0]!;
  return rekeyed(
    r,
    (id) => (id === r.scores.ids[1] ? id0 : id),
    (t) => t,
  );
}

const base = baselineRun;
const cand = () => runWith((i) => i < 138);

/**
 * Each reason a comparison is refused, keyed by the opening of its message in the source (see `thrownKinds`):
 * the two runs, the flags, and the text the CLI must print. `commands` says which commands can reach it (`report`
 * compares every shared metric, it has no `--metric`).
 */
interface Case {
  readonly name: string;
  readonly kind: string;
  readonly baseline: () => EvalResult;
  readonly candidate: () => EvalResult;
  readonly flags?: readonly string[];
  readonly commands: readonly ('compare' | 'report')[];
  readonly message: string;
  /** Refused as a usage error, before any file is compared (the message is followed by the pointer to --help). */
  readonly usage?: true;
}

const cases: readonly Case[] = [
  {
    name: 'no common ids (another dataset)',
    kind: 'Cannot pair the results: example "…" (trial …) ',
    baseline: base,
    candidate: () =>
      rekeyed(
        cand(),
        (id) => `other-${id}`,
        (t) => t,
      ),
    commands: ['compare', 'report'],
    message: 'Cannot pair the results: example "ex000" (trial 0) is in the baseline but not in the candidate',
  },
  {
    name: 'another trial of every example',
    kind: 'Cannot pair the results: example "…" (trial …) ',
    baseline: base,
    candidate: () =>
      rekeyed(
        cand(),
        (id) => id,
        () => 1,
      ),
    commands: ['compare', 'report'],
    message: 'Cannot pair the results: example "ex000" (trial 0) is in the baseline but not in the candidate',
  },
  {
    name: 'a row twice in the baseline',
    kind: 'The … result has example "…" (trial …) twice.',
    baseline: () => duplicated(base()),
    candidate: cand,
    commands: ['compare', 'report'],
    message: 'The baseline result has example "ex000" (trial 0) twice.',
  },
  {
    name: 'no metric in common',
    kind: 'The results share no metric (baseline: …; cand',
    baseline: () => withoutMetric(base(), 'f1'),
    candidate: () => withoutMetric(cand(), 'exact_match'),
    commands: ['compare', 'report'],
    message: 'The results share no metric (baseline: exact_match; candidate: f1).',
  },
  {
    name: '--metric names a metric the baseline lacks',
    kind: 'Metric "…" is not in the baseline result (it h',
    baseline: () => withoutMetric(base(), 'f1'),
    candidate: cand,
    flags: ['--metric', 'f1'],
    commands: ['compare'],
    message: 'Metric "f1" is not in the baseline result (it has: exact_match).',
  },
  {
    name: '--metric names a metric the candidate lacks',
    kind: 'Metric "…" is not in the candidate result (it ',
    baseline: base,
    candidate: () => withoutMetric(cand(), 'f1'),
    flags: ['--metric', 'f1'],
    commands: ['compare'],
    message: 'Metric "f1" is not in the candidate result (it has: exact_match).',
  },
  {
    name: 'a metric defined differently',
    kind: 'Metric "…" is defined differently in the two r',
    baseline: () => withLowercase(base(), true),
    candidate: () => withLowercase(cand(), false),
    commands: ['compare', 'report'],
    message:
      'Metric "exact_match" is defined differently in the two results (baseline -> candidate: definition.lowercase: true -> false)',
  },
  {
    name: '--margin names a metric that is not compared (the CLI refuses it first)',
    kind: '`margin` names metric "…", which is not compare',
    baseline: () => withoutMetric(base(), 'f1'),
    candidate: cand,
    flags: ['--margin', 'f1=0.02'],
    commands: ['compare', 'report'],
    usage: true,
    message: '--margin f1=0.02 names metric "f1", which is not compared (compared: exact_match)',
  },
  {
    name: 'a corpus metric without its sufficient statistics',
    kind: 'Metric "…" is a corpus metric but the … result',
    baseline: () => corpusWithoutStats(base()),
    candidate: () => corpusWithoutStats(cand()),
    commands: ['compare', 'report'],
    message:
      'Metric "f1" is a corpus metric but the baseline result has no sufficient statistics for it (scores.stats.f1).',
  },
  {
    name: 'segments from different segmentBy fields',
    kind: 'Cannot compare by segment: the baseline was sl',
    baseline: () => segmentedBy(base(), 'lang'),
    candidate: () => segmentedBy(cand(), 'topic'),
    commands: ['compare', 'report'],
    message:
      'Cannot compare by segment: the baseline was sliced by `segmentBy: "lang"` and the candidate by `segmentBy: "topic"`',
  },
];

/** Characters of a message's opening that name its kind. */
const KEY = 40;

/** Thrown by evaluate() when a run's metric names repeat with different definitions: no comparison of files. */
const notCompare = new Set(['src/run/options.ts']);

/**
 * Every `new ComparisonError(` / `new MetricDefinitionError(` in src/ with its message's opening: template
 * expressions read as `…`, the first {@link KEY} characters kept.
 */
async function thrownKinds(): Promise<{ file: string; kind: string }[]> {
  const out: { file: string; kind: string }[] = [];
  const files = (await readdir(join(root, 'src'), { recursive: true })).filter((f) => f.endsWith('.ts'));
  for (const f of files) {
    const file = relative(root, join(root, 'src', f));
    if (file === 'src/errors.ts') continue;
    const text = await readFile(join(root, file), 'utf8');
    for (const m of text.matchAll(
      /new (?:ComparisonError|MetricDefinitionError)\(\s*(`(?:\\.|[^`\\])*`|'[^']*')/g,
    )) {
      const message = m[1]!
        .slice(1, -1)
        .replace(/\\`/g, '`')
        .replace(/\$\{[^}]*\}/g, '…');
      out.push({ file, kind: message.slice(0, KEY) });
    }
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-cli-refused-'));
});

describe('results that cannot be compared', () => {
  it('every ComparisonError compare() can throw has a case here', async () => {
    const thrown = await thrownKinds();
    expect(thrown.length).toBeGreaterThanOrEqual(9);
    const handled = new Set(cases.map((c) => c.kind.slice(0, KEY)));
    const unhandled = thrown.filter((t) => !notCompare.has(t.file) && !handled.has(t.kind));
    expect(unhandled, 'a new ComparisonError: add a case (and make the CLI refuse it)').toEqual([]);
    // And no case names a kind the source no longer throws.
    const kinds = new Set(thrown.map((t) => t.kind));
    expect([...handled].filter((k) => !kinds.has(k))).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))(
    'the case builds what it says (%s): compare() throws its message',
    (_, c) => {
      const margin = c.flags?.[0] === '--margin' ? { margin: { f1: 0.02 } } : {};
      const metrics = c.flags?.[0] === '--metric' ? { metrics: ['f1'] } : {};
      expect(() => compare(c.baseline(), c.candidate(), { ...margin, ...metrics })).toThrow(
        c.kind.split('…')[0]!,
      );
    },
  );

  it.each(cases.map((c) => [c.name, c] as const))(
    'evalgate compare exits 2 with the reason, no table (%s)',
    async (name, c) => {
      if (!c.commands.includes('compare')) return;
      const stem = name.replace(/\W+/g, '-');
      const b = await writeRun(dir, `${stem}-base`, c.baseline());
      const k = await writeRun(dir, `${stem}-cand`, c.candidate());
      const { code, stdout, stderr } = await evalgate(['compare', b, k, ...(c.flags ?? [])], slow);
      expect(stderr).toContain(`evalgate: ${c.message}`);
      expect(stdout).toBe('');
      expect(code).toBe(2);
    },
    slow,
  );

  it.each(cases.map((c) => [c.name, c] as const))(
    'evalgate report --baseline exits 2 with the reason and writes no report (%s)',
    async (name, c) => {
      if (!c.commands.includes('report')) return;
      const stem = `report-${name.replace(/\W+/g, '-')}`;
      const b = await writeRun(dir, `${stem}-base`, c.baseline());
      const k = await writeRun(dir, `${stem}-cand`, c.candidate());
      const out = join(dir, `${stem}.html`);
      const { code, stdout, stderr } = await evalgate(
        ['report', k, '--baseline', b, '-o', out, ...(c.flags ?? [])],
        slow,
      );
      expect(stderr).toContain(`evalgate: ${c.message}`);
      if (!c.usage) expect(stderr).toMatch(/no report written/);
      expect(stdout).toBe('');
      await expect(access(out)).rejects.toThrow(/ENOENT/);
      expect(code).toBe(2);
    },
    slow,
  );
});
