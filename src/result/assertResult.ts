/**
 * Structural validation of a parsed result document. `JSON.stringify` writes `NaN` as `null`, so the few
 * summary fields that may legitimately be `NaN` (an estimate or a CI bound in a degenerate case) accept
 * `null` and are restored to `NaN` here.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import { _RESERVED_NAMES } from '../_internal/reservedNames.js';
import { ResultFormatError } from '../errors.js';
import { type EvalResult, SCHEMA_VERSION } from './EvalResult.js';

type Obj = Record<string, unknown>;

const isObject = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const key = (k: string) => (/^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);

/** A trajectory as `evaluate()` writes it (see core/trajectory.ts). */
function checkTrajectory(c: _Checker, p: string, value: unknown): void {
  const t = c.object(p, value);
  c.oneOf(`${p}.source`, t.source, ['calls', 'model']);
  c.oneOf(`${p}.form`, t.form, ['full', 'tool-calls']);
  if (typeof t.truncated !== 'boolean') c.fail(`${p}.truncated`, 'a boolean', t.truncated);
  if (t.droppedSteps !== undefined) c.count(`${p}.droppedSteps`, t.droppedSteps);
  c.array(`${p}.steps`, t.steps).forEach((value, i) => {
    const sp = `${p}.steps[${i}]`;
    const s = c.object(sp, value);
    c.oneOf(`${sp}.kind`, s.kind, ['model', 'judge', 'embedding']);
    c.string(`${sp}.api`, s.api);
    if (s.model !== undefined) c.string(`${sp}.model`, s.model);
    c.array(`${sp}.toolCalls`, s.toolCalls).forEach((v, j) => {
      const call = c.object(`${sp}.toolCalls[${j}]`, v);
      c.string(`${sp}.toolCalls[${j}].id`, call.id);
      c.string(`${sp}.toolCalls[${j}].name`, call.name);
    });
    c.array(`${sp}.toolResults`, s.toolResults).forEach((v, j) => {
      const r = c.object(`${sp}.toolResults[${j}]`, v);
      c.string(`${sp}.toolResults[${j}].id`, r.id);
      c.string(`${sp}.toolResults[${j}].content`, r.content);
      if (typeof r.isError !== 'boolean') c.fail(`${sp}.toolResults[${j}].isError`, 'a boolean', r.isError);
    });
    if (s.text !== undefined) c.string(`${sp}.text`, s.text);
    if (s.usage !== undefined) {
      const u = c.object(`${sp}.usage`, s.usage);
      c.count(`${sp}.usage.inputTokens`, u.inputTokens);
      c.count(`${sp}.usage.outputTokens`, u.outputTokens);
    }
    c.number(`${sp}.latencyMs`, s.latencyMs);
    if (typeof s.cached !== 'boolean') c.fail(`${sp}.cached`, 'a boolean', s.cached);
    if (s.error !== undefined) c.string(`${sp}.error`, s.error);
  });
}

/** Collects the checks of one document so every message names the file and the field. */
class _Checker {
  constructor(private readonly source: string) {}

  fail(path: string, expected: string, value: unknown): never {
    throw new ResultFormatError(
      `${this.source} is not a valid evalgate result: expected \`${path}\` to be ${expected}, got ${value === undefined ? 'nothing' : _describe(value)}`,
    );
  }
  object(path: string, v: unknown): Obj {
    if (!isObject(v)) this.fail(path, 'an object', v);
    return v;
  }
  array(path: string, v: unknown, length?: number): unknown[] {
    if (!Array.isArray(v)) this.fail(path, 'an array', v);
    if (length !== undefined && v.length !== length) this.fail(path, `an array of length ${length}`, v);
    return v;
  }
  string(path: string, v: unknown): void {
    if (typeof v !== 'string') this.fail(path, 'a string', v);
  }
  number(path: string, v: unknown): void {
    if (typeof v !== 'number') this.fail(path, 'a number', v);
  }
  /** A number that may have been `NaN` when written (serialized as `null`). */
  numberOrNaN(path: string, v: unknown): void {
    if (typeof v !== 'number' && v !== null) this.fail(path, 'a number (or null for NaN)', v);
  }
  count(path: string, v: unknown): void {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) this.fail(path, 'an integer >= 0', v);
  }
  oneOf(path: string, v: unknown, choices: readonly unknown[]): void {
    if (!choices.includes(v))
      this.fail(path, `one of ${choices.map((c) => JSON.stringify(c)).join(' | ')}`, v);
  }
}

function checkSchemaVersion(c: _Checker, source: string, version: unknown): void {
  if (version === undefined)
    throw new ResultFormatError(`${source} is not an evalgate result: it has no \`schemaVersion\``);
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1)
    c.fail('schemaVersion', `the integer ${SCHEMA_VERSION}`, version);
  if (version > SCHEMA_VERSION)
    throw new ResultFormatError(
      `${source} was written by a newer evalgate (schemaVersion ${version}); this version reads schemaVersion ${SCHEMA_VERSION}: upgrade evalgate to read it`,
    );
}

/** Checks one metric summary at `p`, turning its `null` numbers back into `NaN`. */
function checkSummary(c: _Checker, p: string, value: unknown): void {
  const m = c.object(p, value);
  c.oneOf(`${p}.kind`, m.kind, ['binary', 'continuous']);
  c.numberOrNaN(`${p}.mean`, m.mean);
  c.numberOrNaN(`${p}.stderr`, m.stderr);
  const ci = c.object(`${p}.ci`, m.ci);
  c.numberOrNaN(`${p}.ci.low`, ci.low);
  c.numberOrNaN(`${p}.ci.high`, ci.high);
  c.number(`${p}.ci.level`, ci.level);
  c.string(`${p}.ci.method`, ci.method);
  c.count(`${p}.n`, m.n);
  c.count(`${p}.nMissing`, m.nMissing);
  c.oneOf(`${p}.aggregation`, m.aggregation, ['mean', 'corpus']);
  if (m.warning !== undefined) c.string(`${p}.warning`, m.warning);
  for (const field of ['mean', 'stderr'] as const) if (m[field] === null) m[field] = Number.NaN;
  for (const field of ['low', 'high'] as const) if (ci[field] === null) ci[field] = Number.NaN;
  if (m.calibrated !== undefined) checkCalibrated(c, `${p}.calibrated`, m.calibrated);
  restoreJudge(m.judge);
}

/** Checks the numbers of `fields` of `o` that are present, turning `null` (a NaN when written) back into `NaN`. */
function restoreNaN(c: _Checker, p: string, o: Obj, fields: readonly string[]): void {
  for (const field of fields) {
    if (o[field] === undefined) continue;
    c.numberOrNaN(`${p}.${field}`, o[field]);
    if (o[field] === null) o[field] = Number.NaN;
  }
}

/**
 * A calibrated (PPI++) summary: its estimate, interval and effective n may be NaN (labels without spread give an
 * effective n of NaN). `agreement` is JSON-safe by contract (NaN as null) and stays as written.
 */
function checkCalibrated(c: _Checker, p: string, value: unknown): void {
  const cal = c.object(p, value);
  restoreNaN(c, p, cal, ['mean', 'stderr', 'lambda', 'effectiveN']);
  restoreNaN(c, `${p}.ci`, c.object(`${p}.ci`, cal.ci), ['low', 'high']);
  c.count(`${p}.nLabeled`, cal.nLabeled);
  c.count(`${p}.nUnlabeled`, cal.nUnlabeled);
}

/**
 * A judge's bias report (`judge`, set by the judges' `summarize` hook): Pearson's r and its interval are NaN on
 * constant scores, the first-position rate without a decisive verdict. A hook may set any `judge` it likes, so
 * this only turns those numbers' `null` back into `NaN` where the report has its usual shape, and never refuses.
 */
function restoreJudge(value: unknown): void {
  if (!isObject(value)) return;
  const nan = (o: unknown, fields: readonly string[]) => {
    if (isObject(o)) for (const field of fields) if (o[field] === null) o[field] = Number.NaN;
  };
  if (isObject(value.lengthCorrelation)) {
    nan(value.lengthCorrelation, ['r']);
    nan(value.lengthCorrelation.ci, ['low', 'high']);
  }
  nan(value.positionConsistency, ['rate', 'firstPositionRate']);
  // With no decisive verdict the first-position rate's interval is NaN (null when written), like the rate.
  if (isObject(value.positionIntervals)) {
    nan(value.positionIntervals.consistency, ['low', 'high']);
    nan(value.positionIntervals.firstPosition, ['low', 'high']);
  }
}

/**
 * Checks that `doc` has the shape of an {@link EvalResult} of the current schema version and returns it,
 * with `null` summary numbers turned back into `NaN`. Mutates `doc` (a freshly parsed object).
 * @throws {ResultFormatError} naming `source` and the first field that does not fit.
 */
export function _validateResult(doc: unknown, source: string): EvalResult {
  const c = new _Checker(source);
  if (!isObject(doc))
    throw new ResultFormatError(
      `${source} is not an evalgate result: expected a JSON object, got ${_describe(doc)}`,
    );
  if (doc.kind === 'evalgate-comparison')
    throw new ResultFormatError(`${source} holds a comparison, not an evalgate result`);
  // The reporter's `outputFile` is versioned too (schemaVersion 1): say what it is, not which field is missing.
  if (doc.kind === 'evalgate-vitest-summary')
    throw new ResultFormatError(
      `${source} holds the evalgate vitest reporter's summary, not an evalgate result: save a result with saveResult() (or baseline()) and load that`,
    );
  checkSchemaVersion(c, source, doc.schemaVersion);

  const run = c.object('run', doc.run);
  c.string('run.startedAt', run.startedAt);
  c.string('run.finishedAt', run.finishedAt);
  c.number('run.durationMs', run.durationMs);
  c.string('run.evalgateVersion', run.evalgateVersion);
  c.oneOf('run.stoppedBy', run.stoppedBy, [null, 'abort', 'budget', 'decided']);
  c.object('config', doc.config);
  c.count('n', doc.n);
  c.count('nFailed', doc.nFailed);
  if (doc.examplesFile !== undefined) c.string('examplesFile', doc.examplesFile);

  for (const [name, value] of Object.entries(c.object('metrics', doc.metrics))) {
    // evaluate() never writes these; read back, every lookup by name would find Object.prototype's member.
    if (_RESERVED_NAMES.has(name))
      throw new ResultFormatError(
        `${source} is not a valid evalgate result: expected \`metrics\` to name metrics by names evaluate() accepts, got the reserved name ${JSON.stringify(name)} (a property of every object)`,
      );
    checkSummary(c, `metrics${key(name)}`, value);
  }
  if (doc.segments !== undefined)
    for (const [label, summaries] of Object.entries(c.object('segments', doc.segments)))
      for (const [name, value] of Object.entries(c.object(`segments${key(label)}`, summaries)))
        checkSummary(c, `segments${key(label)}${key(name)}`, value);

  c.array('examples', doc.examples).forEach((value, i) => {
    const p = `examples[${i}]`;
    const e = c.object(p, value);
    c.string(`${p}.id`, e.id);
    c.count(`${p}.trial`, e.trial);
    if (e.output !== null) c.string(`${p}.output`, e.output);
    for (const [name, s] of Object.entries(c.object(`${p}.scores`, e.scores)))
      if (s !== null) c.number(`${p}.scores${key(name)}`, s);
    if (e.details !== undefined) c.object(`${p}.details`, e.details);
    if (e.error !== undefined) {
      const err = c.object(`${p}.error`, e.error);
      c.string(`${p}.error.name`, err.name);
      c.string(`${p}.error.message`, err.message);
    }
    c.number(`${p}.latencyMs`, e.latencyMs);
    if (typeof e.cached !== 'boolean') c.fail(`${p}.cached`, 'a boolean', e.cached);
    c.count(`${p}.retries`, e.retries);
    if (e.trajectory !== undefined) checkTrajectory(c, `${p}.trajectory`, e.trajectory);
  });

  const scores = c.object('scores', doc.scores);
  // Each cell, not only each column's length: compare() pairs rows by `${trial}\0${id}` and reads `failed` as a
  // truth value, so a trial "0", a failed "false" or a short labels column changed the comparison without a word.
  const ids = c.array('scores.ids', scores.ids);
  const rows = ids.length;
  ids.forEach((id, i) => {
    if (typeof id !== 'string' || id === '') c.fail(`scores.ids[${i}]`, 'a non-empty string', id);
  });
  c.array('scores.trials', scores.trials, rows).forEach((t, i) => {
    c.count(`scores.trials[${i}]`, t);
  });
  c.array('scores.groups', scores.groups, rows).forEach((g, i) => {
    if (g !== null && typeof g !== 'string') c.fail(`scores.groups[${i}]`, 'a string or null', g);
  });
  c.array('scores.failed', scores.failed, rows).forEach((f, i) => {
    if (typeof f !== 'boolean') c.fail(`scores.failed[${i}]`, 'a boolean', f);
  });
  if (scores.labels !== undefined)
    for (const [name, column] of Object.entries(c.object('scores.labels', scores.labels)))
      c.array(`scores.labels${key(name)}`, column, rows).forEach((v, i) => {
        if (v !== null && typeof v !== 'number')
          c.fail(`scores.labels${key(name)}[${i}]`, 'a number or null', v);
      });
  if (scores.stats !== undefined)
    for (const [name, column] of Object.entries(c.object('scores.stats', scores.stats)))
      c.array(`scores.stats${key(name)}`, column, rows).forEach((v, i) => {
        if (v === null) return;
        for (const x of c.array(`scores.stats${key(name)}[${i}]`, v))
          if (typeof x !== 'number') c.fail(`scores.stats${key(name)}[${i}][]`, 'a number', x);
      });
  if (scores.segments !== undefined)
    c.array('scores.segments', scores.segments, rows).forEach((labels, i) => {
      for (const label of c.array(`scores.segments[${i}]`, labels))
        c.string(`scores.segments[${i}][]`, label);
    });
  for (const [name, column] of Object.entries(c.object('scores.metrics', scores.metrics))) {
    const values = c.array(`scores.metrics${key(name)}`, column, rows);
    values.forEach((v, i) => {
      if (v !== null && typeof v !== 'number')
        c.fail(`scores.metrics${key(name)}[${i}]`, 'a number or null', v);
    });
  }

  // Added within schema version 1 (anytime-valid gates): optional, checked when present.
  if (doc.gate !== undefined) {
    const g = c.object('gate', doc.gate);
    c.oneOf('gate.decision', g.decision, ['pass', 'fail', 'undecided']);
    c.oneOf('gate.kind', g.kind, ['threshold', 'non-inferiority']);
    c.string('gate.metric', g.metric);
    for (const field of ['atLeast', 'atMost', 'margin'])
      if (g[field] !== undefined) c.number(`gate.${field}`, g[field]);
    c.count('gate.n', g.n);
    c.count('gate.rows', g.rows);
    for (const field of ['lower', 'upper', 'confidence']) c.number(`gate.${field}`, g[field]);
    c.oneOf('gate.method', g.method, ['prpl-eb']);
    c.oneOf('gate.order', g.order, ['seeded', 'as-given']);
    if (g.population !== undefined) c.count('gate.population', g.population);
    if (g.rowsSkipped !== null) c.count('gate.rowsSkipped', g.rowsSkipped);
    if (g.costSavedUsd !== null) c.number('gate.costSavedUsd', g.costSavedUsd);
  }

  const totals = c.object('totals', doc.totals);
  for (const field of [
    'requests',
    'inputTokens',
    'outputTokens',
    'costUsd',
    'cacheHits',
    'cacheMisses',
    'retries',
  ])
    c.number(`totals.${field}`, totals[field]);
  // Added within schema version 1: optional on read so files written before them still load.
  for (const field of ['savedInputTokens', 'savedOutputTokens', 'savedCostUsd', 'unpricedCalls'])
    if (totals[field] !== undefined) c.number(`totals.${field}`, totals[field]);
  return doc as unknown as EvalResult;
}

/**
 * Whether `value` is an evalgate result: the one structural test every module uses (a versioned document with
 * metric summaries and its score table). `_validateResult` checks a loaded file in full.
 */
export function isEvalResult(value: unknown): value is EvalResult {
  const v = value as Partial<EvalResult> | null;
  return (
    v !== null &&
    typeof v === 'object' &&
    v.schemaVersion === SCHEMA_VERSION &&
    v.metrics !== null &&
    typeof v.metrics === 'object' &&
    v.scores !== null &&
    typeof v.scores === 'object' &&
    Array.isArray(v.scores.ids)
  );
}

/**
 * Throws a TypeError naming `name` unless `value` is an evalgate result (see {@link isEvalResult}).
 * @example
 * ```ts
 * assertResult(JSON.parse(text), 'baseline'); // TypeError: Expected `baseline` to be an evalgate result …
 * ```
 */
export function assertResult(value: unknown, name: string): asserts value is EvalResult {
  if (!isEvalResult(value))
    throw new TypeError(
      `Expected \`${name}\` to be an evalgate result (from evaluate() or loadResult()), got ${_describe(value)}`,
    );
}

/**
 * Why a result cannot pass a gate, or undefined when it can: a run stopped by its budget or by an abort holds
 * only part of its dataset, and a partial run never passes. E.g. `"stopped by budget after 40 of 100 rows"`.
 */
export function stoppedReason(result: Pick<EvalResult, 'run' | 'n'>): string | undefined {
  const by = result.run?.stoppedBy;
  if (by !== 'budget' && by !== 'abort') return undefined;
  const planned = result.run.rowsPlanned;
  return `stopped by ${by} after ${result.n}${planned === undefined ? '' : ` of ${planned}`} rows`;
}

/**
 * Whether `metric`'s rows were chosen by a gate's data: the run stopped when its gate decided, before its last row,
 * and the gate is not a threshold gate on `metric` itself (whose confidence sequence is valid at that stopping
 * time; a fixed-sample interval over the rows that ran is not).
 */
export function gateChoseRows(
  result: {
    readonly run?: Pick<EvalResult['run'], 'stoppedBy' | 'rowsPlanned'>;
    readonly n: number;
    readonly gate?: EvalResult['gate'];
  },
  metric: string,
): boolean {
  const gate = result.gate;
  if (result.run?.stoppedBy !== 'decided' || gate === undefined) return false;
  if (gate.metric === metric && gate.kind === 'threshold') return false;
  const planned = result.run.rowsPlanned;
  return planned === undefined || result.n < planned; // decided on the last row: nothing skipped
}
