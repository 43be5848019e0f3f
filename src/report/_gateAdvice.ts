/**
 * "What to do" lines for the report: one per failed gate, saying whether the estimate itself is on the wrong
 * side of the bar (more examples will not help) or the interval is too wide (and how many examples
 * `sampleSize()` says would settle it).
 * @module
 */

import type { Comparison } from '../result/Comparison.js';
import type { EvalResult } from '../result/EvalResult.js';
import { normalQuantile } from '../stats/descriptive.js';
import { sampleSize } from '../stats/sampleSize.js';
import { _escapeHtml } from './_html.js';
import { _digitsApart, _formatNumber, formatInterval, formatLevel, formatSigned } from './format.js';
import { _comparisonMargin, _nonInferiority } from './formatComparisonTable.js';

export interface _GateLine {
  readonly metric: string;
  readonly kind:
    | 'below-bar'
    | 'too-wide'
    | 'worse-than-margin'
    | 'no-interval'
    | 'broken'
    | 'significantly-worse'
    | 'segment-regressed';
  /** Examples sampleSize() says are needed, for 'too-wide'. */
  readonly needed?: number;
  readonly text: string;
}

/**
 * Rows needed for a one-sided bound at the interval's level to clear `effect` with 80% power: `sampleSize()`'s
 * paired t (the one-sample t of the per-row values or differences), alpha = (1 - level) / 2 (the lower end of a
 * two-sided interval), sd taken from this run. Undefined when the sd is not positive and finite.
 */
function _needed(effect: number, sd: number, level: number): number | undefined {
  if (!(effect > 0) || !(sd > 0) || !Number.isFinite(sd)) return undefined;
  return sampleSize({
    test: 'paired-t',
    minDetectableEffect: effect,
    sd,
    alpha: (1 - level) / 2,
    alternative: 'greater',
    power: 0.8,
  }).n;
}

/** Lines for `gates` (metric -> the bar its interval's lower bound must clear) and a comparison's failures. */
export function _gateLines(
  result: EvalResult,
  gates: Readonly<Record<string, number>>,
  comparison: Comparison | undefined,
): _GateLine[] {
  const out: _GateLine[] = [];
  for (const [metric, bar] of Object.entries(gates)) {
    const m = result.metrics[metric]!;
    if (m.ci.low >= bar) continue;
    // The estimate and the lower bound read on their own side of the bar (0.69996 under 0.7, not 0.7).
    const digits = _digitsApart(bar, [m.mean, m.ci.low]);
    const shown = `estimate ${_formatNumber(m.mean, digits)}, ${formatLevel(m.ci.level)} ${formatInterval(m.ci, digits)}, n=${m.n}`;
    if (!(m.mean > bar)) {
      out.push({
        metric,
        kind: 'below-bar',
        text: `${metric}: below the bar ${_formatNumber(bar, digits)} (${shown}). The estimate itself is under the bar, so more examples will not lift it: improve the system, or lower the bar if it was set too high.`,
      });
      continue;
    }
    const needed = _needed(m.mean - bar, m.stderr * Math.sqrt(m.n), m.ci.level);
    out.push({
      metric,
      kind: 'too-wide',
      ...(needed === undefined ? {} : { needed }),
      text:
        `${metric}: interval too wide for the bar ${_formatNumber(bar, digits)} (${shown}): the estimate is above the bar but the lower bound is not. ` +
        (needed === undefined
          ? 'Run more examples.'
          : `sampleSize() says about ${needed.toLocaleString('en-US')} examples (you have ${m.n}) would put the lower bound above the bar with 80% power if the estimate holds.`),
    });
  }
  if (comparison) {
    const z = normalQuantile((1 + comparison.confidence) / 2);
    for (const d of Object.values(comparison.metrics)) {
      const margin = _comparisonMargin(comparison, d.metric);
      // The difference and the lower bound read on their own side of −margin (−0.0200004, not −0.02).
      const digits = margin === undefined ? 4 : _digitsApart(-margin, [d.difference, d.ci.low]);
      const shown = `difference ${formatSigned(d.difference, digits)}, ${formatLevel(d.ci.level)} ${formatInterval(d.ci, digits)}, n=${d.n}`;
      if (margin !== undefined) {
        // compare()'s verdict, as the CLI reads it: identical scores are non-inferior at margin 0 ([0, 0]).
        const verdict = _nonInferiority(d, margin);
        if (verdict === 'yes') continue;
        if (verdict === 'broken') {
          out.push({
            metric: d.metric,
            kind: 'broken',
            text: `${d.metric}: cannot be shown non-inferior: ${d.broken}. Fix the metric or its bounds.`,
          });
          continue;
        }
        if (verdict === 'no interval') {
          out.push({
            metric: d.metric,
            kind: 'no-interval',
            text: `${d.metric}: cannot be shown non-inferior (${shown}): ${d.noInterval}.`,
          });
          continue;
        }
        if (!(d.difference > -margin)) {
          out.push({
            metric: d.metric,
            kind: 'worse-than-margin',
            text: `${d.metric}: the candidate is worse than the baseline by more than the margin ${_formatNumber(margin, digits)} (${shown}). More examples will not help: fix the candidate before it ships.`,
          });
          continue;
        }
        const sd = ((d.ci.high - d.ci.low) / (2 * z)) * Math.sqrt(d.n);
        const needed = _needed(d.difference + margin, sd, d.ci.level);
        out.push({
          metric: d.metric,
          kind: 'too-wide',
          ...(needed === undefined ? {} : { needed }),
          text:
            `${d.metric}: interval too wide to show non-inferiority (${shown}): the difference is above −margin (${_formatNumber(-margin, digits)}) but the lower bound is not. ` +
            (needed === undefined
              ? 'Run more paired examples.'
              : `sampleSize() says about ${needed.toLocaleString('en-US')} paired examples (you have ${d.n}) would clear −margin with 80% power if the difference holds.`),
        });
      } else if (d.difference < 0 && d.pValueAdjusted < comparison.alpha) {
        out.push({
          metric: d.metric,
          kind: 'significantly-worse',
          text: `${d.metric}: significantly worse than the baseline (${shown}, ${comparison.adjustment}-adjusted p=${_formatNumber(d.pValueAdjusted, 3)}). Look at the regressed examples below.`,
        });
      }
    }
    for (const s of comparison.segments ?? [])
      if (s.regressed)
        out.push({
          metric: s.metric,
          kind: 'segment-regressed',
          text: `${s.metric} regressed in segment "${s.segment}" (difference ${formatSigned(s.difference)}, ${formatInterval(s.ci)}, n=${s.n}, adjusted p=${_formatNumber(s.pAdjusted, 3)}): filter the examples by it below.`,
        });
  }
  return out;
}

/** The section, or '' when there is nothing to gate on. */
export function _gateSection(lines: readonly _GateLine[], gated: boolean): string {
  if (!gated) return '';
  if (lines.length === 0)
    return '<section id="gates"><h2>Gates</h2><p class="good">Every gate passes.</p></section>';
  return `<section id="gates"><h2>What to do</h2><ul class="gate-lines">${lines
    .map((l) => `<li class="gate-line"${` data-kind="${l.kind}"`}>${_escapeHtml(l.text)}</li>`)
    .join('')}</ul></section>`;
}
