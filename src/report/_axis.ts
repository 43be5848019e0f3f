/**
 * Axis arithmetic and SVG attribute helpers shared by the report's plots: round domains, tick positions, the
 * domain a metric is drawn on. Pure string and number work, no DOM.
 * @module
 */

import { _escapeHtml } from './_html.js';

export type _Domain = readonly [number, number];

export const _finite = (xs: readonly number[]): number[] => xs.filter(Number.isFinite);

/** Rounds away binary noise (0.1 + 0.2) so coordinates and tick labels print short. */
export const _round = (x: number): number => Number(x.toPrecision(12));

function _niceStep(span: number): number {
  const raw = span / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const r = raw / magnitude;
  return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
}

/** A domain with round ends covering `values`; [0, 1] when everything lies there (rates and scores). */
export function _niceDomain(values: readonly number[]): _Domain {
  const xs = _finite(values);
  if (xs.length > 0 && Math.min(...xs) >= 0 && Math.max(...xs) <= 1) return [0, 1];
  return _roundDomain(xs);
}

/** A domain with round ends covering `values`, however small they are (costs in dollars). */
export function _roundDomain(values: readonly number[]): _Domain {
  const xs = _finite(values);
  if (xs.length === 0) return [0, 1];
  let lo = Math.min(...xs);
  let hi = Math.max(...xs);
  if (lo === hi) {
    const pad = Math.abs(lo) * 0.1 || 1;
    lo -= pad;
    hi += pad;
  }
  const step = _niceStep(hi - lo);
  return [_round(Math.floor(lo / step) * step), _round(Math.ceil(hi / step) * step)];
}

/** Round tick values from the low to the high end of a domain (about five). */
export function _ticks([lo, hi]: _Domain): number[] {
  const step = _niceStep(hi - lo);
  const out: number[] = [];
  for (let k = 0; lo + k * step <= hi + step * 1e-9; k++) out.push(_round(lo + k * step));
  return out;
}

/**
 * The domain one metric is drawn on: its declared `bounds` (a 1-5 judge on [1, 5]) when they cover every value,
 * else a round domain over the values ([0, 1] for rates). Each metric gets its own, so a 0-1 metric's interval
 * is never squeezed by a metric on a larger scale.
 */
export function _metricDomain(values: readonly number[], bounds?: readonly [number, number]): _Domain {
  const xs = _finite(values);
  if (bounds && bounds[0] < bounds[1] && xs.every((x) => x >= bounds[0] && x <= bounds[1]))
    return [bounds[0], bounds[1]];
  return _niceDomain(xs);
}

/** A linear map from a domain onto [x0, x1], clamping values outside the domain to its ends. */
export const _scale =
  ([lo, hi]: _Domain, x0: number, x1: number) =>
  (v: number): number =>
    x0 + ((Math.min(Math.max(v, lo), hi) - lo) / (hi - lo || 1)) * (x1 - x0);

/** ` name="value"`, numbers rounded, strings escaped. */
export const _attr = (name: string, value: number | string): string =>
  ` ${name}="${typeof value === 'number' ? _round(value) : _escapeHtml(value)}"`;
