/**
 * Number and interval formatting shared by the terminal tables, the matcher messages, the CLI and the HTML
 * report, so that one estimate reads the same everywhere.
 * @module
 */
import { _formatCost, _formatNumber } from '../_internal/formatNumber.js';
import type { ConfidenceInterval, GateResult, JudgeBias } from '../result/EvalResult.js';

export { _formatCost, _formatNumber } from '../_internal/formatNumber.js';

/**
 * A run's cost as totals state it: `$0.04`, or `$0.04 + 12 unpriced calls` when some calls had no price (their
 * cost is unknown, not zero).
 */
export function formatTotalCost(totals: {
  readonly costUsd: number;
  readonly unpricedCalls?: number;
}): string {
  const n = totals.unpricedCalls ?? 0;
  return n > 0
    ? `${_formatCost(totals.costUsd)} + ${n} unpriced call${n === 1 ? '' : 's'}`
    : _formatCost(totals.costUsd);
}

/**
 * The interval cell of a gated metric: the gate's decision, after how many rows, and the confidence sequence's
 * bounds (after an early stop the bootstrap interval is not valid; the sequence is):
 * `gate pass after 57 rows · 95% CS [0.7014, 1]` (`CS of the difference` for a paired gate).
 */
export function formatGateCell(gate: GateResult): string {
  const paired = gate.kind === 'non-inferiority';
  const decision = paired
    ? { pass: 'non-inferior', fail: 'inferior', undecided: 'undecided' }[gate.decision]
    : gate.decision;
  return `gate ${decision} after ${gate.rows} rows · ${_formatNumber(gate.confidence * 100, 6)}% CS${paired ? ' of the difference' : ''} ${formatInterval({ low: gate.lower, high: gate.upper })}`;
}

/**
 * What a summary shows in the interval column of metric `metric` of a gated run: the gate's decision (see
 * {@link formatGateCell}) in place of the bootstrap interval once the gate decided (after an early stop the
 * bootstrap interval is not valid), and the decision followed by the bootstrap interval when the gate stayed
 * undecided (every row ran, so the interval holds). Undefined for a metric the gate is not on: it keeps its
 * interval. One rule for the text table, the reporter, the Markdown summary and the HTML report.
 */
export function gatedIntervalCell(
  gate: GateResult | undefined,
  metric: string,
  ci: Pick<ConfidenceInterval, 'low' | 'high'>,
): string | undefined {
  if (gate === undefined || gate.metric !== metric) return undefined;
  return gate.decision === 'undecided'
    ? `${formatGateCell(gate)} · bootstrap ${formatInterval(ci)}`
    : formatGateCell(gate);
}

/**
 * A judged metric's measured biases in one line: the judge, self-judging, the length correlation with its CI,
 * and (pairwise judges) position consistency and the first position's win rate, then their intervals:
 * `judge gpt-4o-mini · length r=0.31 [0.12, 0.48] (n=100) · position consistency 0.86 (n=50; first position won
 * 0.58) · 95% intervals: consistency [0.733, 0.942], first position [0.47, 0.684] (korn-graubard)`.
 */
export function formatJudgeBias(judge: JudgeBias): string {
  const parts: string[] = [];
  if (judge.judgeModel !== undefined)
    parts.push(
      `judge ${judge.judgeModel}${judge.selfJudging ? ' (judges its own model: self-preference risk)' : ''}`,
    );
  const lc = judge.lengthCorrelation;
  parts.push(
    lc === null
      ? 'length r: too few rows'
      : Number.isFinite(lc.r)
        ? `length r=${_formatNumber(lc.r, 3)} ${formatInterval(lc.ci, 3)} (n=${lc.n})`
        : // Pearson's r is undefined when the scores (or the lengths) do not vary: say so, never `r=NaN`.
          `length r undefined: constant scores or lengths (n=${lc.n})`,
  );
  const pc = judge.positionConsistency;
  if (pc !== undefined)
    parts.push(
      // The first-position rate is over decisive verdicts: with none (every verdict a tie) it is undefined.
      `position consistency ${_formatNumber(pc.rate, 3)} (n=${pc.n}; ${Number.isFinite(pc.firstPositionRate) ? `first position won ${_formatNumber(pc.firstPositionRate, 3)}` : 'every verdict a tie'})`,
    );
  // The two rates' intervals (absent from results written before they were measured): a consistency of 1 over
  // 5 pairs is [0.48, 1] at 95%, not proof of an unbiased judge.
  const pi = judge.positionIntervals;
  if (pc !== undefined && pi !== undefined)
    parts.push(
      `${_formatNumber(pi.consistency.level * 100, 4)}% intervals: consistency ${formatInterval(pi.consistency, 3)}${Number.isFinite(pi.firstPosition.low) ? `, first position ${formatInterval(pi.firstPosition, 3)} (${pi.firstPosition.method})` : ''}`,
    );
  return parts.join(' · ');
}

/** `+0.03` / `-0.01` / `0`: a difference with its sign always shown. */
export function formatSigned(x: number, digits = 4): string {
  const s = _formatNumber(x, digits);
  return x > 0 && s !== '0' ? `+${s}` : s;
}

/** Significance levels a p-value is read against: one that is not the level never reads as it. */
const _LEVELS = [0.1, 0.05, 0.01, 0.005, 0.001];

/**
 * A p-value: `0.0312`, `2.1e-9`, `<1e-16` below the resolution of double-precision tails. A p-value that is not
 * a usual significance level (0.1, 0.05, 0.01, 0.005, 0.001) never reads as one: 0.049996 is `0.049996`, not
 * `0.05` beside a verdict of significant at 0.05.
 */
export function formatPValue(p: number): string {
  if (Number.isFinite(p) && p > 0 && p < 1e-16) return '<1e-16';
  if (Number.isFinite(p) && p > 0 && p < 1e-4) {
    // Small p-values are data, not rounding residue: always in exponent form.
    const [mantissa, exponent] = p.toExponential(1).split('e');
    return `${String(Number(mantissa))}e${exponent}`;
  }
  let digits = 3;
  for (const level of _LEVELS) if (p !== level) digits = Math.max(digits, _digitsApart(level, [p], 3));
  return _formatNumber(p, digits);
}

/**
 * `[0.56, 0.74]`: each end to `digits` significant digits; an end that is zero up to floating-point rounding
 * next to the other reads `0` (`[8.88e-18, 0.1133]` → `[0, 0.1133]`).
 */
export function formatInterval(ci: Pick<ConfidenceInterval, 'low' | 'high'>, digits = 4): string {
  const scale = Math.max(Math.abs(ci.low), Math.abs(ci.high));
  return `[${_formatNumber(ci.low, digits, scale)}, ${_formatNumber(ci.high, digits, scale)}]`;
}

/**
 * The significant digits (at least `digits`, at most 12) at which every value of `values` that differs from `bar`
 * also reads differently from it, so that a bound printed beside the bar it is judged against reads on its own
 * side of it: a lower bound of 0.69996 under a bar of 0.7 is `0.69996`, not `0.7`. Values closer than that are
 * floating-point residue and may read as the bar.
 */
export function _digitsApart(bar: number, values: readonly number[], digits = 4): number {
  const same = (d: number) => values.some((v) => v !== bar && _formatNumber(v, d) === _formatNumber(bar, d));
  let d = digits;
  while (d < 12 && same(d)) d++;
  return d;
}

/**
 * An estimate as a summary shows it: `—` when the run left it undefined (NaN: no row was scored, and the metric's
 * warning says so), never `NaN` posing as a value.
 */
export function _estimateText(x: number): string {
  return Number.isNaN(x) ? '—' : _formatNumber(x);
}

/** An interval as a summary shows it: `none` when both ends are undefined (NaN: no row was scored). */
export function _intervalText(ci: Pick<ConfidenceInterval, 'low' | 'high'>): string {
  return Number.isNaN(ci.low) && Number.isNaN(ci.high) ? 'none' : formatInterval(ci);
}

/** `95% CI` from a level of 0.95; `90.5% CI` when the level is not a whole percentage. */
export function formatLevel(level: number): string {
  return `${_formatNumber(level * 100, 6)}% CI`;
}

/**
 * The header of a column of intervals: `90% CI` when they share one level (the header says it), undefined when
 * they mix levels (the header then says `CI` and each cell its own level).
 */
export function sharedLevel(levels: readonly number[]): string | undefined {
  const set = new Set(levels);
  return set.size === 1 ? formatLevel(levels[0]!) : undefined;
}
