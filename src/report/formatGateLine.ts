import type { GateResult } from '../result/EvalResult.js';
import { _digitsApart, _formatCost, _formatNumber, formatInterval } from './format.js';

/**
 * One line saying what a run's anytime-valid gate decided, how many rows the decision took and what stopping
 * saved, for the text summary and the HTML report:
 * `gate: pass, exact_match >= 0.7, after 35 of 2000 rows (95% confidence sequence [0.7007, 1], prpl-eb) ·
 * 1965 rows skipped, about $0 saved`. Plain text (the HTML report escapes it).
 *
 * @param gate - `result.gate`.
 * @param rowsPlanned - `result.run.rowsPlanned`, when known.
 * @param stoppedBy - `result.run.stoppedBy`: an undecided gate of a run stopped by its budget or an abort saw only
 *   the rows that ran, and the line says so instead of "after all N rows".
 * @returns The line, without a trailing newline.
 * @example
 * ```ts
 * _formatGateLine(result.gate, result.run.rowsPlanned);
 * // 2000 examples, 90% right, an unpriced local model, concurrency 1:
 * // => 'gate: pass, exact_match >= 0.7, after 35 of 2000 rows (95% confidence sequence [0.7007, 1], prpl-eb) · 1965 rows skipped, about $0 saved'
 * ```
 */
export function _formatGateLine(
  gate: GateResult,
  rowsPlanned?: number,
  stoppedBy?: 'abort' | 'budget' | 'decided' | null,
): string {
  const paired = gate.kind === 'non-inferiority';
  // The bounds are printed with the digits it takes to read on their side of the bar (see _digitsApart).
  const barValue = paired ? -gate.margin! : (gate.atLeast ?? gate.atMost!);
  const digits = _digitsApart(barValue, [gate.lower, gate.upper]);
  const decision = paired
    ? { pass: 'non-inferior', fail: 'inferior', undecided: 'undecided' }[gate.decision]
    : gate.decision;
  const bar = paired
    ? `${gate.metric} vs baseline, margin ${_formatNumber(gate.margin!, digits)}`
    : gate.atLeast !== undefined
      ? `${gate.metric} >= ${_formatNumber(gate.atLeast, digits)}`
      : `${gate.metric} <= ${_formatNumber(gate.atMost!, digits)}`;
  const of = rowsPlanned === undefined ? '' : ` of ${rowsPlanned}`;
  const when =
    gate.decision !== 'undecided'
      ? `after ${gate.rows}${of} rows`
      : stoppedBy === 'abort' || stoppedBy === 'budget'
        ? `after ${gate.rows}${of} rows, stopped by ${stoppedBy} before the gate decided`
        : `after all ${gate.rows}${of} rows`;
  const cs = `${_formatNumber(gate.confidence * 100, 6)}% confidence sequence${paired ? ' of the difference' : ''} ${formatInterval({ low: gate.lower, high: gate.upper }, digits)}, ${gate.method}`;
  const saved =
    gate.decision === 'undecided'
      ? ''
      : gate.rowsSkipped === null
        ? ' · rows skipped: unknown (a stream of unknown length)'
        : ` · ${gate.rowsSkipped} rows skipped, about ${_formatCost(gate.costSavedUsd ?? 0)} saved`;
  return `gate: ${decision}, ${bar}, ${when} (${cs})${saved}`;
}
