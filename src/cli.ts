#!/usr/bin/env node
/**
 * The `evalgate` command: compare two result files (exit 1 on a regression, for CI), render a result as an
 * HTML report, or run the OpenAI-compatible mock server.
 *
 * Exit codes: 0 success, 1 regression found by `compare`, 2 usage or input error (bad flags, unreadable or
 * invalid result file, results that cannot be compared, by `compare` or `report --baseline`: no report is then
 * written, and `report` removes an older evalgate report at `-o` so it does not pass for this run's).
 * @module
 */
import { readFile, stat, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { _formatNumber } from './_internal/formatNumber.js';
import { _redactUrl } from './_internal/redisConnection.js';
import { _terminalText } from './_internal/terminalText.js';
import { runWorker } from './cluster/runWorker.js';
import {
  ClusterError,
  ComparisonError,
  EvalgateError,
  MetricDefinitionError,
  ResultFormatError,
} from './errors.js';
import { formatPValue, formatSigned } from './report/format.js';
import { formatComparisonTable } from './report/formatComparisonTable.js';
import { formatResultTable } from './report/formatResultTable.js';
import { formatSegmentTable } from './report/formatSegmentTable.js';
import { writeHistoryReport } from './report/historyReport.js';
import { writeHtmlReport } from './report/htmlReport.js';
import { markdownSummary } from './report/markdownSummary.js';
import type { Comparison, MetricComparison } from './result/Comparison.js';
import { compare } from './result/compare.js';
import type { EvalResult } from './result/EvalResult.js';
import { loadResult } from './result/loadResult.js';
import { clearsMargin, unseenCandidateFailures } from './result/nonInferiority.js';
import { recordedBounds } from './result/recordedBounds.js';
import { startMockServer } from './testing/startMockServer.js';
import { VERSION } from './version.js';

const USAGE = `Usage:
  evalgate compare <baseline.json> <candidate.json> [--margin <m>]... [--metric <name>]... [--alpha <a>]
                   [--segments] [--format text|json|markdown] [--json] [--allow-definition-change]
                   [--allow-candidate-failures]
      Compare two result files on the same examples and print the table (and, for runs evaluated with
      segmentBy, the per-segment table). Exits 1 when the candidate failed rows its baseline answered
      (the comparison drops them, so no verdict sees them; --allow-candidate-failures judges the rows both
      runs answered), or when a metric is
      REGRESSION: significantly worse (adjusted p < alpha, negative difference; with a margin, also not
        non-inferior), or
      NOT SHOWN NON-INFERIOR: with a margin, the CI lower bound of (candidate - baseline) is <= -margin
        although the loss is not significant (the interval is too wide to rule it out).
      --margin <metric>=<m> sets one metric's margin (repeat per metric); --margin 2% is 0.02 x each metric's
      range (its recorded bounds); a bare --margin <m> is refused when the metrics' ranges differ (a 0-1
      rate and a 1-5 judge need different margins) and otherwise applies to every metric.
      with --segments, also any segment x metric cell that regressed (difference < -margin, p adjusted
      across all cells < alpha). --format markdown prints a Markdown summary (for $GITHUB_STEP_SUMMARY);
      --json is --format json. A metric defined differently in the two files (another judge model or rubric,
      other options, another kind) is refused (exit 2) unless --allow-definition-change, which compares it
      and shows what changed.
  evalgate report <result.json> -o <report.html> [--baseline <baseline.json>] [--margin <m>]... [--alpha <a>] [--title <text>]
                  [--label <text>] [--baseline-label <text>] [--gate <metric>=<bar>]...
                  [--max-examples <n>] [--max-example-bytes <n>] [--allow-definition-change]
      Write a self-contained HTML report (a panel per metric, segments, distributions, every example beside the
      baseline's), compared with a baseline if given; --gate explains a failing lower-bound bar. A baseline that
      cannot be compared (rows that do not pair, no shared metric, other segmentBy fields, a metric defined
      differently) is refused as compare refuses it (exit 2, no report written); --allow-definition-change
      compares a metric defined differently and shows what changed. --margin, --alpha, --baseline-label and
      --allow-definition-change need --baseline (refused without one, not ignored).
      Whenever report exits 2 (a bad flag or file, a refused baseline, an unwritable -o), an older evalgate
      report at -o is removed, so a CI step that uploads it does not show a previous run's report as this one's
      (a file there that evalgate did not write is left as it was).
      --max-examples: rows in the example table (default 5000); --max-example-bytes: bytes it may take
      (default 20000000), past which it leaves rows out and cuts long texts, saying how many on the page (every
      row stays whole in the result file).
  evalgate report --history <result.json>... -o <history.html> [--title <text>]
      Draw each metric over the runs (ordered by start time) with its confidence band.
  evalgate mock-server [--port <port>] [--host <host>]
      Run the OpenAI-compatible mock server until Ctrl-C (SIGINT) or SIGTERM.
  evalgate worker <task-module> --redis <url> [--concurrency <n>] [--queue <name>] [--lock-ms <ms>]
                  [--max-wait <ms>]
      Run rows of cluster runs (evaluate() with \`cluster\`) until SIGINT / SIGTERM. The task module exports
      \`model\` and \`metrics\`, the same as the coordinator's. --concurrency: rows in flight (default 8);
      --lock-ms: how soon a killed worker's chunk goes to another worker (default 10000); --max-wait: how long
      Redis may be unreachable (at the start or mid-run) before the worker exits 3 (default 60000). The
      URL may carry an ACL user and password (redis://user:password@host:6379) and use TLS (rediss://); the
      password is never printed.
  evalgate --help | --version

Exit codes: 0 success, 1 regression (compare), 2 usage or input error, 3 a worker gave up on Redis.`;

/** Bad command line: printed with a pointer to --help, exit code 2. */
class UsageError extends Error {}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

const DECIMAL = /^\s*[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

function numberFlag(
  name: string,
  raw: string | undefined,
  check: (x: number) => boolean,
  range: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  // Decimal only: Number() also reads 0x50 as 80 (a port nobody asked for), 0b / 0o likewise.
  if (!DECIMAL.test(raw) || !Number.isFinite(x) || !check(x))
    throw new UsageError(`--${name} must be a number ${range}, got ${JSON.stringify(raw)}`);
  return x;
}

/** One `--margin` flag: for every metric or one (`name=`), absolute or a percentage of the metric's range. */
interface MarginFlag {
  readonly metric?: string;
  readonly value: number;
  readonly relative: boolean;
  readonly raw: string;
}

function parseMarginFlag(raw: string): MarginFlag {
  const at = raw.lastIndexOf('=');
  const metric = at > 0 ? raw.slice(0, at) : undefined;
  const text = (at > 0 ? raw.slice(at + 1) : raw).trim();
  const relative = text.endsWith('%');
  const digits = relative ? text.slice(0, -1) : text;
  const x = Number(digits);
  if (!DECIMAL.test(digits) || !Number.isFinite(x) || x < 0)
    throw new UsageError(
      `--margin must be a number >= 0, a percentage of each metric's range (2%), or <metric>=<margin>, got ${JSON.stringify(raw)}`,
    );
  return { ...(metric === undefined ? {} : { metric }), value: relative ? x / 100 : x, relative, raw };
}

/** A metric's range from the result's config (`bounds`), [0, 1] for binary metrics, else undefined. */
function rangeOf(results: readonly EvalResult[], name: string): readonly [number, number] | undefined {
  for (const r of results) {
    const b = recordedBounds(r, name);
    if (b !== undefined) return b;
  }
  return results.some((r) => r.metrics[name]?.kind === 'binary') ? [0, 1] : undefined;
}

const showRange = (r: readonly [number, number] | undefined) =>
  r === undefined ? 'range unknown' : `[${_formatNumber(r[0])}, ${_formatNumber(r[1])}]`;

/**
 * The margin of each compared metric from the `--margin` flags. A bare number is one absolute margin, so it is
 * refused when the metrics are on different scales (a 0–1 rate and a 1–5 judge): it would be strict on one and
 * lax on the other. `2%` is 0.02 × each metric's range (its recorded bounds); `name=…` sets one metric's, and
 * overrides a bare or relative default.
 */
function resolveMargins(
  raw: readonly string[] | undefined,
  results: readonly EvalResult[],
  names: readonly string[],
): number | Record<string, number> | undefined {
  if (raw === undefined || raw.length === 0) return undefined;
  const flags = raw.map(parseMarginFlag);
  const defaults = flags.filter((f) => f.metric === undefined);
  if (defaults.length > 1)
    throw new UsageError(
      `--margin without a metric name was given ${defaults.length} times (${defaults.map((f) => f.raw).join(', ')}): give one, and name the others (<metric>=<margin>)`,
    );
  const perMetric = new Map<string, MarginFlag>();
  for (const f of flags) {
    if (f.metric === undefined) continue;
    if (!names.includes(f.metric))
      throw new UsageError(
        `--margin ${f.raw} names metric "${f.metric}", which is not compared (compared: ${names.join(', ')})`,
      );
    if (perMetric.has(f.metric)) throw new UsageError(`--margin for metric "${f.metric}" was given twice`);
    perMetric.set(f.metric, f);
  }
  const fallback = defaults[0];
  const absolute = (f: MarginFlag, name: string): number => {
    if (!f.relative) return f.value;
    const range = rangeOf(results, name);
    if (range === undefined)
      throw new UsageError(
        `--margin ${f.raw} is relative to each metric's range, but metric "${name}" records no bounds: give it an absolute margin (--margin ${name}=<margin>)`,
      );
    return f.value * (range[1] - range[0]);
  };
  // The difference of a metric on [lo, hi] lies in [-(hi - lo), hi - lo]: a margin that wide passes any candidate.
  const onScale = (f: MarginFlag, name: string, x: number): number => {
    const range = rangeOf(results, name);
    if (range !== undefined && x >= range[1] - range[0])
      throw new UsageError(
        `--margin ${f.raw} is ${_formatNumber(x)} on metric "${name}", at least its whole range ${showRange(range)}: any candidate would pass. Margins are on the metric's scale (0.02 is 2 points of a 0-1 rate; 2% is 0.02 x the range)`,
      );
    return x;
  };
  if (fallback !== undefined && !fallback.relative) {
    const unset = names.filter((n) => !perMetric.has(n));
    const ranges = unset.map((n) => showRange(rangeOf(results, n)));
    if (unset.length > 1 && (new Set(ranges).size > 1 || ranges.includes('range unknown')))
      throw new UsageError(
        `--margin ${fallback.raw} would apply one absolute margin to metrics on different or unknown scales (${unset.map((n, i) => `${n}: ${ranges[i]}`).join('; ')}): ` +
          `give each metric its own (--margin ${unset[0]}=<margin> --margin ${unset[1]}=<margin>) or one relative to each metric's range (--margin 2%)`,
      );
  }
  const out: Record<string, number> = {};
  for (const name of names) {
    const f = perMetric.get(name) ?? fallback;
    if (f !== undefined) out[name] = onScale(f, name, absolute(f, name));
  }
  return fallback !== undefined && !fallback.relative && perMetric.size === 0 ? fallback.value : out;
}

/** The metrics `compare()` will compare: `--metric`, else every metric both results scored. */
function comparedNames(baseline: EvalResult, candidate: EvalResult, only: readonly string[] | undefined) {
  return only !== undefined
    ? [...only]
    : Object.keys(baseline.scores.metrics).filter((n) => Object.hasOwn(candidate.scores.metrics, n));
}
/**
 * `evalgate: not compared: …`: each metric of either result the comparison left out, and why (one side has no
 * scores for it, or `--metric` left it out), so a pass on the compared metrics is not read as a pass on those.
 * Empty when every metric was compared. `compare` and `report --baseline` print it.
 */
function notComparedLine(baseline: EvalResult, candidate: EvalResult, comparison: Comparison): string {
  const compared = (n: string) => Object.hasOwn(comparison.metrics, n);
  const inBaseline = (n: string) => Object.hasOwn(baseline.scores.metrics, n);
  const inCandidate = (n: string) => Object.hasOwn(candidate.scores.metrics, n);
  const left = [
    ...Object.keys(baseline.scores.metrics)
      .filter((n) => !compared(n))
      .map((n) => `${n} (${inCandidate(n) ? 'left out by --metric' : 'the candidate has no scores for it'})`),
    ...Object.keys(candidate.scores.metrics)
      .filter((n) => !compared(n) && !inBaseline(n))
      .map((n) => `${n} (the baseline has no scores for it)`),
  ];
  return left.length === 0 ? '' : `evalgate: not compared: ${left.join(', ')}\n`;
}

/** Without `--segments`: the segment x metric cells that regressed, which the exit code does not gate on. */
function ungatedSegmentsLine(comparison: Comparison, gated: boolean): string {
  const cells = gated ? [] : (comparison.segments ?? []).filter((c) => c.regressed);
  return cells.length === 0
    ? ''
    : `evalgate: ${cells.length} segment x metric cell(s) regressed, not gated (pass --segments to fail on them): ${cells.map((c) => `segment ${_terminalText(JSON.stringify(c.segment))} ${c.metric}`).join(', ')}\n`;
}

const alphaFlag = (raw: string | undefined) => numberFlag('alpha', raw, (x) => x > 0 && x < 1, 'in (0, 1)');

/**
 * Why a metric fails the compare gate, by kind: `'worse'` (a significant regression: adjusted p < alpha, the
 * difference negative, and, with a margin, not shown non-inferior), `'not-shown'` (a margin was given and the
 * interval reaches down to -margin, but the loss is not significant: the data cannot rule a loss out), or
 * `'cannot'` (nothing to compare, a partial run, a broken metric, or with a margin few rows of an unbounded
 * metric). Undefined when the metric passes.
 */
function failure(
  m: MetricComparison,
  comparison: Comparison,
): { kind: 'worse' | 'not-shown' | 'cannot'; why: string } | undefined {
  // A dead candidate (every call failed, every score missing) has nothing to compare: it never passes.
  if (m.n === 0 || Number.isNaN(m.difference))
    return {
      kind: 'cannot',
      why: 'cannot be compared: no row was scored on both sides (n = 0), so there is no evidence to pass on',
    };
  if (comparison.partial !== undefined)
    return { kind: 'cannot', why: `${comparison.partial}: a partial run never passes a gate` };
  // Scores outside the metric's bounds (a 0-100 scale declared 0-1) are not evidence, as the matchers hold.
  if (m.broken !== undefined)
    return {
      kind: 'cannot',
      why: `${m.broken}: a broken metric never passes a gate (fix the metric or its bounds)`,
    };
  const margin = m.margin;
  // Few rows of a metric with no recorded bounds: the interval is their spread, no evidence of non-inferiority.
  if (margin !== undefined && m.noInterval !== undefined)
    return { kind: 'cannot', why: `cannot be shown non-inferior: ${m.noInterval}` };
  // compare()'s own verdict: identical paired scores ([0, 0]) are non-inferior at every margin >= 0, 0 included.
  const nonInferior = margin === undefined ? undefined : m.nonInferior;
  const p = `${comparison.adjustment}-adjusted p=${formatPValue(m.pValueAdjusted)}`;
  if (m.difference < 0 && m.pValueAdjusted < comparison.alpha && nonInferior !== true)
    return {
      kind: 'worse',
      why: `significantly worse (difference ${_formatNumber(m.difference)}, ${p} < ${_formatNumber(comparison.alpha)}${margin === undefined ? '' : `; CI lower bound ${_formatNumber(m.ci.low)} is not above -margin ${_formatNumber(-margin)}`})`,
    };
  // Not non-inferior only because the candidate failed rows its baseline answered: the CANDIDATE FAILED ROWS line
  // says so, with the count, in place of an interval that clears the margin.
  const unseen = unseenCandidateFailures(comparison.failedOnOneSide) > 0;
  if (nonInferior === false && unseen && clearsMargin(m, margin!)) return undefined;
  if (nonInferior === false)
    return {
      kind: 'not-shown',
      why: `not shown non-inferior: CI lower bound of the difference ${_formatNumber(m.ci.low)} is not above -margin ${_formatNumber(-margin!)} (difference ${formatSigned(m.difference)}, ${p}: not a significant loss either; more rows narrow the interval)`,
    };
  return undefined;
}

async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    margin: { type: 'string', multiple: true },
    metric: { type: 'string', multiple: true },
    alpha: { type: 'string' },
    json: { type: 'boolean' },
    segments: { type: 'boolean' },
    format: { type: 'string' },
    'allow-definition-change': { type: 'boolean' },
    'allow-candidate-failures': { type: 'boolean' },
  });
  if (values.help) return help();
  const format = values.format ?? (values.json ? 'json' : 'text');
  if (format !== 'text' && format !== 'json' && format !== 'markdown')
    throw new UsageError(`--format must be text, json or markdown, got ${JSON.stringify(format)}`);
  if (values.json && format !== 'json')
    throw new UsageError(`--json and --format ${format} ask for two formats: pass one`);
  if (positionals.length !== 2)
    throw new UsageError(
      `compare needs a baseline and a candidate result file, got ${positionals.length} file(s)`,
    );
  const alpha = alphaFlag(values.alpha);
  for (const raw of values.margin ?? []) parseMarginFlag(raw); // bad syntax is a usage error before any file is read
  const [baseline, candidate] = await Promise.all(positionals.map((p) => readResult(p)));
  const margin = resolveMargins(
    values.margin,
    [baseline!, candidate!],
    comparedNames(baseline!, candidate!, values.metric),
  );
  const comparison = compare(baseline!, candidate!, {
    ...(margin === undefined ? {} : { margin }),
    ...(alpha === undefined ? {} : { alpha }),
    ...(values.metric ? { metrics: values.metric } : {}),
    ...(values['allow-definition-change'] ? { allowDefinitionChange: true } : {}),
    ...(values['allow-candidate-failures'] ? { allowCandidateFailures: true } : {}),
  });
  const failures = Object.values(comparison.metrics).flatMap((m) => {
    const f = failure(m, comparison);
    return f === undefined ? [] : [{ kind: f.kind, line: `${m.metric}: ${f.why}` }];
  });
  const candidateFailed = unseenCandidateFailures(comparison.failedOnOneSide);
  if (values.segments && comparison.segments === undefined)
    throw new UsageError(
      '--segments needs results evaluated with segmentBy: neither file has segments (scores.segments)',
    );
  // After the flags' own errors (--segments on runs without segments), before anything is printed.
  if (await sameFile(positionals[0]!, positionals[1]!))
    throw new UsageError(
      `the baseline ${positionals[0]} and the candidate ${positionals[1]} are the same file: a run compared with itself always passes`,
    );
  const segmentRegressions = values.segments
    ? (comparison.segments ?? [])
        .filter((c) => c.regressed)
        .map(
          (c) =>
            `segment ${_terminalText(JSON.stringify(c.segment))} ${c.metric}: difference ${_formatNumber(c.difference)}, ${comparison.adjustment}-adjusted p=${formatPValue(c.pAdjusted)} < ${_formatNumber(comparison.alpha)}`,
        )
    : [];
  if (format === 'json') process.stdout.write(`${JSON.stringify(comparison, null, 2)}\n`);
  else if (format === 'markdown')
    process.stdout.write(
      markdownSummary({
        title: 'evalgate compare',
        results: [
          { name: `baseline (${positionals[0]})`, ...baseline! },
          { name: `candidate (${positionals[1]})`, ...candidate! },
        ],
        comparisons: [{ name: 'candidate vs baseline', comparison }],
      }),
    );
  else {
    process.stdout.write(`${formatComparisonTable(comparison)}\n\n`);
    const segments = formatSegmentTable(comparison);
    if (segments !== '') process.stdout.write(`${segments}\n\n`);
  }
  const segmentNote =
    comparison.segments === undefined || !values.segments
      ? ''
      : ` and ${new Set(comparison.segments.map((c) => c.segment)).size} segment(s)`;
  const group = (kind: 'worse' | 'not-shown' | 'cannot', title: string) => {
    const lines = failures.filter((f) => f.kind === kind).map((f) => `  ${f.line}`);
    return lines.length === 0
      ? []
      : [`evalgate: ${title} on ${lines.length} metric(s):\n${lines.join('\n')}`];
  };
  const margins =
    margin === undefined
      ? ''
      : typeof margin === 'number'
        ? ` (margin ${_formatNumber(margin)})`
        : ` (margins: ${Object.entries(margin)
            .map(([n, x]) => `${n} ${_formatNumber(x)}`)
            .join(', ')})`;
  const passed = failures.length === 0 && segmentRegressions.length === 0 && candidateFailed === 0;
  const summary = passed
    ? `evalgate: no regression on ${Object.keys(comparison.metrics).length} metric(s)${segmentNote}${margins}`
    : [
        ...(candidateFailed === 0
          ? []
          : [
              `evalgate: CANDIDATE FAILED ROWS: ${candidateFailed} of ${comparison.nPaired} paired row(s) failed in the candidate and were answered by the baseline; the comparison drops them, so no verdict sees them (fix the failures, or pass --allow-candidate-failures to judge the rows both runs answered)`,
            ]),
        ...group('worse', 'REGRESSION'),
        ...group('not-shown', 'NOT SHOWN NON-INFERIOR'),
        ...group('cannot', 'CANNOT PASS'),
        ...(segmentRegressions.length === 0
          ? []
          : [
              `evalgate: REGRESSION on ${segmentRegressions.length} segment x metric cell(s):\n${segmentRegressions.map((r) => `  ${r}`).join('\n')}`,
            ]),
      ].join('\n');
  (format === 'text' ? process.stdout : process.stderr).write(
    `${notComparedLine(baseline!, candidate!, comparison)}${ungatedSegmentsLine(comparison, values.segments === true)}${summary}\n`,
  );
  return passed ? 0 : 1;
}

/** `--gate exact_match=0.7` → `{ exact_match: 0.7 }`. */
function gateFlags(raw: readonly string[]): Record<string, number> {
  const gates = new Map<string, number>();
  for (const flag of raw) {
    const at = flag.lastIndexOf('=');
    const text = at < 0 ? '' : flag.slice(at + 1);
    const bar = Number(text);
    // Decimal only, as the other numeric flags: Number() reads 0x1 as 1 and '' as 0.
    if (at <= 0 || !DECIMAL.test(text) || !Number.isFinite(bar))
      throw new UsageError(`--gate must be <metric>=<number>, got ${JSON.stringify(flag)}`);
    const metric = flag.slice(0, at);
    if (gates.has(metric))
      throw new UsageError(`--gate for metric ${JSON.stringify(metric)} was given twice`);
    gates.set(metric, bar);
  }
  // Entries, not assignments: `__proto__=0.9` must reach the check of the result's metrics, not vanish.
  return Object.fromEntries(gates);
}

/**
 * {@link loadResult}, with the path in a file system error that lacks it: Node names the file when `open`
 * fails (ENOENT), not when `read` does (EISDIR: a directory given as a result file).
 */
async function readResult(path: string): Promise<EvalResult> {
  try {
    return await loadResult(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (err instanceof EvalgateError || typeof e?.code !== 'string' || e.message.includes(path)) throw err;
    throw new Error(`${e.message} '${path}'`, { cause: err });
  }
}

/** Whether two paths name one existing file (same device and inode: another spelling or a link too). */
async function sameFile(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([a, b].map((p) => stat(p).catch(() => undefined)));
  return x !== undefined && y !== undefined && x.dev === y.dev && x.ino === y.ino;
}

/** Refuses an output path that is one of the input files. */
async function checkOutput(output: string, inputs: readonly string[]): Promise<void> {
  for (const input of inputs) {
    if (await sameFile(output, input))
      throw new UsageError(
        `-o ${output} is the input file ${input}: the report would overwrite it; write it to another path (-o report.html)`,
      );
  }
}

/** `report --history`: every file is a run; they are drawn in the order they started. */
async function historyCommand(
  files: readonly string[],
  output: string | undefined,
  title: string | undefined,
): Promise<number> {
  if (files.length === 0) throw new UsageError('report --history needs at least one result file');
  if (output === undefined) throw new UsageError('report --history needs an output file: -o history.html');
  await checkOutput(output, files);
  const loaded = await Promise.all(
    files.map(async (file) => {
      const result = await readResult(file);
      const at = Date.parse(result.run.startedAt);
      if (Number.isNaN(at))
        throw new ResultFormatError(
          `${file}: run.startedAt ${JSON.stringify(result.run.startedAt)} is not a date: report --history orders the runs by when they started`,
        );
      return { file, result, at };
    }),
  );
  // Globs sort by name; time order is what a history means, by instant: `03:00+05:00` is before `01:00Z`, which
  // the text would put first. The sort is stable for equal start times.
  loaded.sort((a, b) => a.at - b.at);
  await writeHistoryReport(
    loaded.map((l) => l.result),
    output,
    {
      labels: loaded.map((l) => basename(l.file).replace(/\.json$/, '')),
      ...(title === undefined ? {} : { title }),
    },
  );
  process.stdout.write(`evalgate: wrote ${output} (${loaded.length} runs)\n`);
  return 0;
}

/** The `-o` of a `report` command line, read leniently: found even when another flag is bad. */
function outputFlag(args: readonly string[]): string | undefined {
  try {
    const { values } = parseArgs({
      args: [...args],
      options: { output: { type: 'string', short: 'o' } },
      allowPositionals: true,
      strict: false,
    });
    return typeof values.output === 'string' && values.output !== '' ? values.output : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `path` is a page evalgate wrote (a report or a history report): the page's frame and its data island. */
async function isEvalgateReport(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  if (info === undefined || !info.isFile()) return false;
  const text = await readFile(path, 'utf8').catch(() => '');
  return (
    text.startsWith('<!doctype html>') && text.includes('<script type="application/json" id="evalgate-data">')
  );
}

/**
 * After `report` refused to write (exit 2): an older report at `-o`, left from a previous run, would be read (or
 * uploaded by a CI step with `if: always()`) as this run's. It is removed, and the returned line says so; a file
 * that is not an evalgate page (an input given as `-o`, anything else) is left as it was. '' when nothing was there.
 */
async function removeStaleReport(output: string | undefined): Promise<string> {
  if (output === undefined || !(await isEvalgateReport(output))) return '';
  try {
    await unlink(output);
    return `evalgate: removed the older report ${output}: this run wrote none, and the old one must not pass for it\n`;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return `evalgate: ${output} is an older report and could not be removed (${code}): it is not this run's report\n`;
  }
}

/**
 * `evalgate report`: the report, or exit 2 with no report at `-o`, where an older evalgate report is removed
 * rather than left to pass for this run's (see {@link removeStaleReport}).
 */
async function reportCommand(args: string[]): Promise<number> {
  let code: number;
  try {
    code = await writeReportCommand(args);
  } catch (err) {
    code = printError(err);
  }
  if (code === 2) process.stderr.write(await removeStaleReport(outputFlag(args)));
  return code;
}

async function writeReportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    baseline: { type: 'string' },
    margin: { type: 'string', multiple: true },
    alpha: { type: 'string' },
    title: { type: 'string' },
    label: { type: 'string' },
    'baseline-label': { type: 'string' },
    gate: { type: 'string', multiple: true },
    'max-examples': { type: 'string' },
    'max-example-bytes': { type: 'string' },
    'allow-definition-change': { type: 'boolean' },
    history: { type: 'boolean' },
  });
  if (values.help) return help();
  if (values.history) return historyCommand(positionals, values.output, values.title);
  if (positionals.length !== 1)
    throw new UsageError(`report needs one result file, got ${positionals.length}`);
  if (values.output === undefined) throw new UsageError('report needs an output file: -o report.html');
  if (values['allow-definition-change'] && values.baseline === undefined)
    throw new UsageError(
      '--allow-definition-change needs --baseline: it allows comparing with a baseline whose metric was defined differently',
    );
  // Flags of the comparison, which a report without a baseline does not make: ignored, a margin would read as
  // checked on the page that has none.
  for (const flag of ['margin', 'alpha', 'baseline-label'] as const)
    if (values[flag] !== undefined && values.baseline === undefined)
      throw new UsageError(
        `--${flag} needs --baseline: it applies to the comparison with a baseline, which a report without one does not make`,
      );
  const alpha = alphaFlag(values.alpha);
  for (const raw of values.margin ?? []) parseMarginFlag(raw);
  const gates = values.gate === undefined ? undefined : gateFlags(values.gate);
  const maxExamples = numberFlag(
    'max-examples',
    values['max-examples'],
    (x) => Number.isInteger(x) && x >= 0,
    '>= 0 (an integer, rows)',
  );
  const maxExampleBytes = numberFlag(
    'max-example-bytes',
    values['max-example-bytes'],
    (x) => Number.isInteger(x) && x >= 0,
    '>= 0 (an integer, bytes)',
  );
  await checkOutput(values.output, [
    positionals[0]!,
    ...(values.baseline === undefined ? [] : [values.baseline]),
  ]);
  const result = await readResult(positionals[0]!);
  const baseline = values.baseline === undefined ? undefined : await readResult(values.baseline);
  let comparison: Comparison | undefined;
  if (baseline) {
    const margin = resolveMargins(
      values.margin,
      [baseline, result],
      comparedNames(baseline, result, undefined),
    );
    try {
      comparison = compare(baseline, result, {
        ...(margin === undefined ? {} : { margin }),
        ...(alpha === undefined ? {} : { alpha }),
        ...(values['allow-definition-change'] ? { allowDefinitionChange: true } : {}),
      });
    } catch (err) {
      // The comparison asked for cannot be made (rows that do not pair, no shared metric, a metric scored with
      // another definition, ...): a report without it, exit 0, passes in CI for one that has it. Refused as
      // `compare` refuses it, exit 2, nothing written.
      if (!(err instanceof ComparisonError)) throw err;
      process.stderr.write(
        `evalgate: ${err.message}
evalgate: no report written; ${
          err instanceof MetricDefinitionError
            ? 'pass --allow-definition-change to compare anyway (the report shows what changed).'
            : `the runs cannot be compared: leave out --baseline to report ${positionals[0]} alone.`
        }
`,
      );
      return 2;
    }
    // As `compare` says it: the page draws a metric of one side only without a difference, the log would not.
    process.stderr.write(notComparedLine(baseline, result, comparison));
  }
  await writeHtmlReport(result, values.output, {
    ...(baseline ? { baseline } : {}),
    ...(comparison ? { comparison } : {}),
    ...(values.title === undefined ? {} : { title: values.title }),
    ...(values.label === undefined ? {} : { label: values.label }),
    ...(values['baseline-label'] === undefined ? {} : { baselineLabel: values['baseline-label'] }),
    ...(gates === undefined ? {} : { gates }),
    ...(maxExamples === undefined ? {} : { maxExamples }),
    ...(maxExampleBytes === undefined ? {} : { maxExampleBytes }),
  });
  process.stdout.write(`${formatResultTable(result)}\n\nevalgate: wrote ${values.output}\n`);
  return 0;
}

async function mockServerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    port: { type: 'string', short: 'p', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
  });
  if (values.help) return help();
  if (positionals.length > 0)
    throw new UsageError(`mock-server takes no arguments, got ${JSON.stringify(positionals[0])}`);
  const port = numberFlag(
    'port',
    values.port,
    (x) => Number.isInteger(x) && x >= 0 && x <= 65535,
    'in [0, 65535]',
  )!;
  const server = await startMockServer({ port, host: values.host });
  process.stdout.write(`evalgate mock server listening at ${server.url}\n`);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.close();
  process.stdout.write(`evalgate mock server stopped (${signal})\n`);
  return 0;
}

async function workerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    redis: { type: 'string' },
    concurrency: { type: 'string' },
    queue: { type: 'string' },
    'lock-ms': { type: 'string' },
    'max-wait': { type: 'string' },
  });
  if (values.help) return help();
  if (positionals.length !== 1)
    throw new UsageError(`worker takes one task module, got ${positionals.length} arguments`);
  if (values.redis === undefined) throw new UsageError('worker needs --redis <url>');
  const concurrency = numberFlag(
    'concurrency',
    values.concurrency,
    (x) => Number.isInteger(x) && x >= 1,
    '>= 1 (an integer)',
  );
  const lockMs = numberFlag(
    'lock-ms',
    values['lock-ms'],
    (x) => Number.isInteger(x) && x >= 100,
    '>= 100 (an integer)',
  );
  const maxWait = numberFlag(
    'max-wait',
    values['max-wait'],
    (x) => Number.isInteger(x) && x >= 0,
    '>= 0 (an integer, ms)',
  );
  const worker = await runWorker({
    redis: values.redis,
    task: positionals[0]!,
    ...(concurrency === undefined ? {} : { concurrency }),
    ...(values.queue === undefined ? {} : { queue: values.queue }),
    ...(lockMs === undefined ? {} : { lockDurationMs: lockMs }),
    ...(maxWait === undefined ? {} : { maxWaitMs: maxWait }),
    onRetry: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(
    `evalgate worker ready (pid ${process.pid}, task ${positionals[0]}, redis ${_redactUrl(values.redis)})\n`,
  );
  const ended = await new Promise<NodeJS.Signals | ClusterError>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    void worker.failed.then(resolve);
  });
  if (ended instanceof ClusterError) {
    process.stderr.write(`evalgate: ${ended.message}\n`);
    // Exit even if a dependency left a handle open: the worker is closed already.
    setTimeout(() => process.exit(3), 2000).unref();
    return 3;
  }
  await worker.close();
  process.stdout.write(`evalgate worker stopped (${ended}) after ${worker.rowsDone} rows\n`);
  return 0;
}

function help(): number {
  process.stdout.write(`${USAGE}\n`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'compare':
      return compareCommand(rest);
    case 'report':
      return reportCommand(rest);
    case 'mock-server':
      return mockServerCommand(rest);
    case 'worker':
      return workerCommand(rest);
    case '--version':
    case '-v':
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      return help();
    case undefined:
      throw new UsageError('missing command');
    default:
      throw new UsageError(`unknown command ${JSON.stringify(command)}`);
  }
}

/** Prints a command's error (its message, never a stack) and returns its exit code: 3 for a cluster error, else 2. */
function printError(err: unknown): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(
    err instanceof UsageError
      ? `evalgate: ${message}\nRun \`evalgate --help\` for usage.\n`
      : `evalgate: ${message}\n`,
  );
  return err instanceof ClusterError ? 3 : 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.exitCode = printError(err);
    if (err instanceof ClusterError) setTimeout(() => process.exit(3), 2000).unref();
  },
);
