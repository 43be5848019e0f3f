#!/usr/bin/env node
/**
 * The `evalgate` command: compare two result files (exit 1 on a regression, for CI), render a result as an
 * HTML report, or run the OpenAI-compatible mock server.
 *
 * Exit codes: 0 success, 1 regression found by `compare`, 2 usage or input error (bad flags, unreadable or
 * invalid result file, results that cannot be compared).
 * @module
 */
import { basename } from 'node:path';
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { _redactUrl } from './_internal/redisConnection.js';
import { runWorker } from './cluster/runWorker.js';
import { ClusterError, ComparisonError } from './errors.js';
import { _formatNumber, _formatPValue } from './report/format.js';
import { _comparisonMargin, formatComparisonTable } from './report/formatComparisonTable.js';
import { formatResultTable } from './report/formatResultTable.js';
import { formatSegmentTable } from './report/formatSegmentTable.js';
import { writeHistoryReport } from './report/historyReport.js';
import { writeHtmlReport } from './report/htmlReport.js';
import { markdownSummary } from './report/markdownSummary.js';
import type { Comparison, MetricComparison } from './result/Comparison.js';
import { compare } from './result/compare.js';
import { loadResult } from './result/loadResult.js';
import { startMockServer } from './testing/startMockServer.js';
import { VERSION } from './version.js';

const USAGE = `Usage:
  evalgate compare <baseline.json> <candidate.json> [--margin <m>] [--metric <name>]... [--alpha <a>]
                   [--segments] [--format text|json|markdown] [--json]
      Compare two result files on the same examples and print the table (and, for runs evaluated with
      segmentBy, the per-segment table). Exits 1 on a regression:
      with --margin, a metric whose CI lower bound of (candidate - baseline) is <= -margin;
      without, a metric that is significantly worse (adjusted p < alpha, negative difference);
      with --segments, also any segment x metric cell that regressed (difference < -margin, p adjusted
      across all cells < alpha). --format markdown prints a Markdown summary (for $GITHUB_STEP_SUMMARY);
      --json is --format json.
  evalgate report <result.json> -o <report.html> [--baseline <baseline.json>] [--margin <m>] [--alpha <a>] [--title <text>]
                  [--label <text>] [--baseline-label <text>] [--gate <metric>=<bar>]...
      Write a self-contained HTML report (a panel per metric, segments, distributions, every example beside the
      baseline's), compared with a baseline if given; --gate explains a failing lower-bound bar.
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

function numberFlag(
  name: string,
  raw: string | undefined,
  check: (x: number) => boolean,
  range: string,
): number | undefined {
  if (raw === undefined) return undefined;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x) || !check(x))
    throw new UsageError(`--${name} must be a number ${range}, got ${JSON.stringify(raw)}`);
  return x;
}

const marginFlag = (raw: string | undefined) => numberFlag('margin', raw, (x) => x >= 0, '>= 0');
const alphaFlag = (raw: string | undefined) => numberFlag('alpha', raw, (x) => x > 0 && x < 1, 'in (0, 1)');

/** Why a metric counts as a regression, or undefined when it does not. */
function regression(m: MetricComparison, comparison: Comparison): string | undefined {
  // A dead candidate (every call failed, every score missing) has nothing to compare: it never passes.
  if (m.n === 0 || Number.isNaN(m.difference))
    return 'cannot be compared: no row was scored on both sides (n = 0), so there is no evidence to pass on';
  if (comparison.partial !== undefined) return `${comparison.partial}: a partial run never passes a gate`;
  const margin = _comparisonMargin(comparison);
  if (margin !== undefined)
    return m.ci.low > -margin
      ? undefined
      : `CI lower bound of the difference ${_formatNumber(m.ci.low)} is not above -margin ${_formatNumber(-margin)}`;
  if (m.difference < 0 && m.pValueAdjusted < comparison.alpha)
    return `significantly worse (difference ${_formatNumber(m.difference)}, ${comparison.adjustment}-adjusted p=${_formatPValue(m.pValueAdjusted)} < ${_formatNumber(comparison.alpha)})`;
  return undefined;
}

async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    margin: { type: 'string' },
    metric: { type: 'string', multiple: true },
    alpha: { type: 'string' },
    json: { type: 'boolean' },
    segments: { type: 'boolean' },
    format: { type: 'string' },
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
  const margin = marginFlag(values.margin);
  const alpha = alphaFlag(values.alpha);
  const [baseline, candidate] = await Promise.all(positionals.map((p) => loadResult(p)));
  const comparison = compare(baseline!, candidate!, {
    ...(margin === undefined ? {} : { margin }),
    ...(alpha === undefined ? {} : { alpha }),
    ...(values.metric ? { metrics: values.metric } : {}),
  });
  const regressions = Object.values(comparison.metrics).flatMap((m) => {
    const why = regression(m, comparison);
    return why === undefined ? [] : [`${m.metric}: ${why}`];
  });
  if (values.segments && comparison.segments === undefined)
    throw new UsageError(
      '--segments needs results evaluated with segmentBy: neither file has segments (scores.segments)',
    );
  const segmentRegressions = values.segments
    ? (comparison.segments ?? [])
        .filter((c) => c.regressed)
        .map(
          (c) =>
            `segment ${JSON.stringify(c.segment)} ${c.metric}: difference ${_formatNumber(c.difference)}, ${comparison.adjustment}-adjusted p=${_formatPValue(c.pAdjusted)} < ${_formatNumber(comparison.alpha)}`,
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
  const summary =
    regressions.length === 0 && segmentRegressions.length === 0
      ? `evalgate: no regression on ${Object.keys(comparison.metrics).length} metric(s)${segmentNote}${margin === undefined ? '' : ` (margin ${_formatNumber(margin)})`}`
      : [
          ...(regressions.length === 0
            ? []
            : [
                `evalgate: REGRESSION on ${regressions.length} metric(s):\n${regressions.map((r) => `  ${r}`).join('\n')}`,
              ]),
          ...(segmentRegressions.length === 0
            ? []
            : [
                `evalgate: REGRESSION on ${segmentRegressions.length} segment x metric cell(s):\n${segmentRegressions.map((r) => `  ${r}`).join('\n')}`,
              ]),
        ].join('\n');
  (format === 'text' ? process.stdout : process.stderr).write(`${summary}\n`);
  return regressions.length === 0 && segmentRegressions.length === 0 ? 0 : 1;
}

/** `--gate exact_match=0.7` → `{ exact_match: 0.7 }`. */
function gateFlags(raw: readonly string[]): Record<string, number> {
  const gates: Record<string, number> = {};
  for (const flag of raw) {
    const at = flag.lastIndexOf('=');
    const bar = at < 0 ? Number.NaN : Number(flag.slice(at + 1));
    if (at <= 0 || flag.slice(at + 1).trim() === '' || !Number.isFinite(bar))
      throw new UsageError(`--gate must be <metric>=<number>, got ${JSON.stringify(flag)}`);
    gates[flag.slice(0, at)] = bar;
  }
  return gates;
}

/** `report --history`: every file is a run; they are drawn in the order they started. */
async function historyCommand(
  files: readonly string[],
  output: string | undefined,
  title: string | undefined,
): Promise<number> {
  if (files.length === 0) throw new UsageError('report --history needs at least one result file');
  if (output === undefined) throw new UsageError('report --history needs an output file: -o history.html');
  const loaded = await Promise.all(files.map(async (file) => ({ file, result: await loadResult(file) })));
  // Globs sort by name; time order is what a history means. The sort is stable for equal start times.
  loaded.sort((a, b) => a.result.run.startedAt.localeCompare(b.result.run.startedAt));
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

async function reportCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    output: { type: 'string', short: 'o' },
    baseline: { type: 'string' },
    margin: { type: 'string' },
    alpha: { type: 'string' },
    title: { type: 'string' },
    label: { type: 'string' },
    'baseline-label': { type: 'string' },
    gate: { type: 'string', multiple: true },
    history: { type: 'boolean' },
  });
  if (values.help) return help();
  if (values.history) return historyCommand(positionals, values.output, values.title);
  if (positionals.length !== 1)
    throw new UsageError(`report needs one result file, got ${positionals.length}`);
  if (values.output === undefined) throw new UsageError('report needs an output file: -o report.html');
  const margin = marginFlag(values.margin);
  const alpha = alphaFlag(values.alpha);
  const gates = values.gate === undefined ? undefined : gateFlags(values.gate);
  const result = await loadResult(positionals[0]!);
  const baseline = values.baseline === undefined ? undefined : await loadResult(values.baseline);
  let comparison: Comparison | undefined;
  if (baseline) {
    try {
      comparison = compare(baseline, result, {
        ...(margin === undefined ? {} : { margin }),
        ...(alpha === undefined ? {} : { alpha }),
      });
    } catch (err) {
      // The baseline's estimates are still worth drawing when the rows do not pair up.
      if (!(err instanceof ComparisonError)) throw err;
      process.stderr.write(`evalgate: no comparison in the report: ${err.message}\n`);
    }
  }
  await writeHtmlReport(result, values.output, {
    ...(baseline ? { baseline } : {}),
    ...(comparison ? { comparison } : {}),
    ...(values.title === undefined ? {} : { title: values.title }),
    ...(values.label === undefined ? {} : { label: values.label }),
    ...(values['baseline-label'] === undefined ? {} : { baselineLabel: values['baseline-label'] }),
    ...(gates === undefined ? {} : { gates }),
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(
      err instanceof UsageError
        ? `evalgate: ${message}\nRun \`evalgate --help\` for usage.\n`
        : `evalgate: ${message}\n`,
    );
    process.exitCode = err instanceof ClusterError ? 3 : 2;
    if (err instanceof ClusterError) setTimeout(() => process.exit(3), 2000).unref();
  },
);
