/**
 * Korn and Graubard's effective sample size of a proportion over clustered items, in exact integer arithmetic:
 * the one copy judgeAgreement's clustered proportions and a summary's few clustered units both use.
 * @module
 */

/** Greatest common divisor of two non-negative BigInts (Euclid). */
export function _gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** p / q as a number, the fraction reduced first so that an integer ratio comes out exact. */
function _ratio(p: bigint, q: bigint): number {
  const g = _gcd(p, q);
  return Number(p / g) / Number(q / g);
}

/**
 * Korn and Graubard's effective sample size of a proportion over clustered items: n_eff = p(1 - p) / v, where v is
 * the cluster-robust (ratio-estimator) variance of p = A / M (A successes in M items): v = sum_c (y_c - p m_c)^2 /
 * M^2 over the clusters c with m_c items and y_c successes. Then the Clopper–Pearson interval of n_eff p successes
 * in n_eff trials. Integer arithmetic: n_eff = A (M - A) M^2 / S with S = sum_c (M y_c - A m_c)^2, so that clusters
 * of k identical items give exactly n_eff = the number of clusters, and clusters of one size whose items all agree
 * (y_c = 0 or m_c) exactly the clusters and their successes. Capped at M (never more than the items); with p = 0 or
 * 1 (v = 0) the clusters are the units. Clusters with no item (m_c = 0) do not count.
 * @param successes - y_c, the successes of each cluster (integers).
 * @param sizes - m_c, the items of each cluster (integers, 0 for a cluster without an item in the proportion).
 * @param A - sum of `successes` (the caller has counted it).
 * @param M - sum of `sizes`, at least 1.
 * @returns The effective successes n_eff p and trials n_eff.
 */
export function _kornGraubardCounts(
  successes: ArrayLike<number>,
  sizes: ArrayLike<number>,
  A: number,
  M: number,
): { readonly successes: number; readonly n: number } {
  if (A === 0 || A === M) {
    let present = 0;
    for (let c = 0; c < sizes.length; c++) if (sizes[c]! > 0) present++;
    return { successes: A === 0 ? 0 : present, n: present };
  }
  const a = BigInt(A);
  const mm = BigInt(M);
  let S = 0n;
  for (let c = 0; c < sizes.length; c++) {
    const d = mm * BigInt(successes[c]!) - a * BigInt(sizes[c]!);
    S += d * d;
  }
  const num = a * (mm - a) * mm * mm;
  if (S === 0n || num >= mm * S) return { successes: A, n: M };
  return { successes: _ratio(a * num, mm * S), n: _ratio(num, S) };
}
