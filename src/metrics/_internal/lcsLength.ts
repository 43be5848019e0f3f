/**
 * Length of the longest common subsequence of two token sequences, bit-parallel (Allison & Dix 1986;
 * Hyyrö 2004): the longer sequence is a bit vector of ceil(n/32) words updated once per token of the shorter one,
 * so time is O(min(n, m) · max(n, m) / 32) and memory O(max(n, m)), never a table. Tokens of the shorter
 * sequence that do not occur in the longer one cost nothing, and each update only touches the words between the
 * token's first and last occurrence (plus carry propagation).
 *
 * A token's match mask is built from its positions for each update, which costs its number of occurrences: for a
 * token that occurs more often than there are words (CJK text, where every character is a token and a few hundred
 * of them fill a page), that is up to 32 times the update itself, so those tokens (at most 32 of them: the counts
 * sum to n) keep a dense mask built once, at most 4n bytes in all. Two 200,000-character CJK texts took 44 s
 * without, about 3 s with.
 */
export function _lcsLength(a: readonly string[], b: readonly string[]): number {
  // `long` is the bit-vector side.
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  const n = long.length;
  if (n === 0 || short.length === 0) return 0;
  // Positions of each distinct token of `long`, ascending, in CSR form.
  const ids = new Map<string, number>();
  const tokenId = new Int32Array(n);
  const counts: number[] = [];
  for (let i = 0; i < n; i++) {
    let id = ids.get(long[i]);
    if (id === undefined) {
      id = counts.length;
      ids.set(long[i], id);
      counts.push(0);
    }
    tokenId[i] = id;
    counts[id]++;
  }
  const start = new Int32Array(counts.length + 1);
  for (let id = 0; id < counts.length; id++) start[id + 1] = start[id] + counts[id];
  const fill = start.slice(0, counts.length);
  const positions = new Int32Array(n);
  for (let i = 0; i < n; i++) positions[fill[tokenId[i]]++] = i;

  const words = (n + 31) >>> 5;
  const V = new Uint32Array(words).fill(0xffffffff);
  const M = new Uint32Array(words);
  // Dense masks of the tokens that occur more often than there are words, built on first use.
  const dense = new Map<number, Uint32Array>();
  for (const token of short) {
    const id = ids.get(token);
    if (id === undefined) continue; // M = 0 leaves V unchanged.
    const from = start[id];
    const to = start[id + 1];
    let mask: Uint32Array = M;
    if (to - from > words) {
      let d = dense.get(id);
      if (d === undefined) {
        d = new Uint32Array(words);
        for (let p = from; p < to; p++) d[positions[p] >>> 5] |= 1 << (positions[p] & 31);
        dense.set(id, d);
      }
      mask = d;
    } else for (let p = from; p < to; p++) M[positions[p] >>> 5] |= 1 << (positions[p] & 31);
    const lo = positions[from] >>> 5;
    const hi = positions[to - 1] >>> 5;
    let carry = 0;
    // V' = (V + (V & M)) | (V & ~M), with the addition carried across words.
    for (let w = lo; w < words; w++) {
      if (w > hi && carry === 0) break;
      const v = V[w];
      const m = mask[w];
      const sum = v + ((v & m) >>> 0) + carry;
      V[w] = (sum >>> 0) | (v & ~m);
      carry = sum > 0xffffffff ? 1 : 0;
    }
    if (mask === M) for (let p = from; p < to; p++) M[positions[p] >>> 5] = 0;
  }
  // LCS = number of zero bits among the n low bits of V.
  let ones = 0;
  for (let w = 0; w < words; w++) {
    let v = V[w];
    if (w === words - 1 && (n & 31) !== 0) v &= (1 << (n & 31)) - 1;
    v = v - ((v >>> 1) & 0x55555555);
    v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
    ones += (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  return n - ones;
}
