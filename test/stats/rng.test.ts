import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import {
  _binomialSample,
  _createRng,
  _resampleIndices,
  _resampleSum,
  _uniform,
} from '../../src/stats/_internal/rng.js';
import { _binomPmf, _chi2Sf1 } from '../../src/stats/_internal/special.js';
import { expectRel } from './_rel.js';

describe('resampling streams are seedrandom Alea streams', () => {
  it('stream k of seed s is bit-for-bit seedrandom.alea(s + "/" + k)', () => {
    const rng = _createRng('abc');
    const idx = new Int32Array(4000);
    const n = 2 ** 20;
    _resampleIndices(rng, idx, idx.length, n);
    const refs = [0, 1, 2, 3].map((k) => seedrandom.alea(`abc/${k}`));
    for (let i = 0; i < idx.length; i++) expect(idx[i]).toBe(Math.floor(refs[i % 4]() * n));
    // _uniform continues the same streams round robin.
    for (let i = 0; i < 8; i++) expect(_uniform(rng)).toBe(refs[i % 4]());
  });
  it('_resampleSum draws the same items as _resampleIndices', () => {
    const x = Float64Array.from({ length: 37 }, (_, i) => i * i + 0.5);
    const idx = new Int32Array(37);
    const a = _createRng(7);
    const b = _createRng(7);
    for (let r = 0; r < 20; r++) {
      _resampleIndices(a, idx, 37, 37);
      let s = 0;
      for (let i = 0; i < 37; i++) s += x[idx[i]];
      expectRel(_resampleSum(b, x, 37), s, 1e-14); // same draws, summation order differs (two accumulators)
    }
  });
});

describe('binomial sampler (inversion and BTRD) follows Bin(n, p)', () => {
  // Pearson chi-square goodness of fit over 200,000 seeded draws; cells with expected count < 5 pooled.
  it.each([
    [10, 0.3],
    [60, 0.1],
    [100, 0.5],
    [1000, 0.27],
    [50000, 0.7],
  ])('n = %i, p = %s', (n, p) => {
    const rng = _createRng(`binom-${n}-${p}`);
    const draws = 200_000;
    const counts = new Map<number, number>();
    let outOfRange = 0;
    for (let i = 0; i < draws; i++) {
      const k = _binomialSample(rng, n, p);
      if (!(Number.isInteger(k) && k >= 0 && k <= n)) outOfRange++;
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(outOfRange).toBe(0);
    let chi2 = 0;
    let cells = 0;
    let pooledObs = 0;
    let pooledExp = 0;
    for (let k = 0; k <= n; k++) {
      const e = draws * _binomPmf(k, n, p);
      const o = counts.get(k) ?? 0;
      if (e < 5) {
        pooledObs += o;
        pooledExp += e;
        continue;
      }
      chi2 += (o - e) ** 2 / e;
      cells++;
    }
    if (pooledExp > 0) {
      chi2 += (pooledObs - pooledExp) ** 2 / pooledExp;
      cells++;
    }
    // Wilson-Hilferty normal approximation of the chi-square(df) upper tail; reject only at p < 1e-4.
    const df = cells - 1;
    const z = ((chi2 / df) ** (1 / 3) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
    expect(_chi2Sf1(z * z) / 2 > 1e-4 || z < 0, `chi2 = ${chi2} on ${df} df`).toBe(true);
  });
});
