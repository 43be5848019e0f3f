import { _describe } from '../_internal/describe.js';

/** Inverse document frequencies of tokens over a reference corpus (BERTScore's `idf`). Frozen. */
export interface IdfWeights {
  /** Number of documents M. */
  readonly documents: number;
  /** log((M+1)/(c_w+1)) for every token seen in the corpus (c_w = documents containing w). */
  readonly weights: ReadonlyMap<string, number>;
  /** Weight of a token seen in no document: log(M+1). */
  readonly unseenWeight: number;
}

/**
 * Inverse document frequency weights as BERTScore computes them (bert_score `get_idf_dict`):
 * idf(w) = log((M + 1) / (c_w + 1)), where M is the number of documents and c_w the number of documents that
 * contain w (a token counts once per document); a token absent from the corpus gets log(M + 1).
 *
 * @param documents - The reference corpus, each document already split into tokens.
 * @returns A frozen {@link IdfWeights}.
 * @throws {TypeError} When `documents` is not an array of string arrays.
 * @example
 * ```ts
 * const idf = idfWeights([['the', 'cat'], ['the', 'dog']]);
 * idf.weights.get('the'); // => 0 (log(3/3))
 * idf.weights.get('cat'); // => 0.4054651081081644 (log(3/2))
 * idf.unseenWeight; // => 1.0986122886681096 (log 3)
 * ```
 */
export function idfWeights(documents: readonly (readonly string[])[]): IdfWeights {
  if (!Array.isArray(documents))
    throw new TypeError(`Expected \`documents\` to be an array of token arrays, got ${_describe(documents)}`);
  const df = new Map<string, number>();
  documents.forEach((doc, i) => {
    if (!Array.isArray(doc) || doc.some((t) => typeof t !== 'string'))
      throw new TypeError(`Expected \`documents[${i}]\` to be an array of strings, got ${_describe(doc)}`);
    for (const t of new Set(doc as readonly string[])) df.set(t, (df.get(t) ?? 0) + 1);
  });
  const M = documents.length;
  const weights = new Map<string, number>();
  for (const [t, c] of df) weights.set(t, Math.log((M + 1) / (c + 1)));
  return Object.freeze({ documents: M, weights, unseenWeight: Math.log(M + 1) });
}

/** Weight of one token under `idf` (1 without idf). */
export function _idfOf(idf: IdfWeights | undefined, token: string): number {
  if (idf === undefined) return 1;
  return idf.weights.get(token) ?? idf.unseenWeight;
}
