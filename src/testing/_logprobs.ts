/**
 * Token pieces of a text and the mock's deterministic default log-probabilities.
 * @module
 */
import { decode, encode } from 'gpt-tokenizer';
import { _AS_TEXT } from '../_internal/tokenizeAsText.js';
import { _fnv1a } from './mockEmbedding.js';
import type { MockTokenLogprob, MockTopLogprob } from './types.js';

/** Alternatives offered in default `top_logprobs` (at least 20, the API's maximum). */
const _ALTERNATIVES = [
  ' the',
  'No',
  'Yes',
  '.',
  ',',
  ' and',
  ' a',
  ' of',
  ' to',
  ' is',
  'The',
  ' in',
  ' it',
  'I',
  ' that',
  '\n',
  ' not',
  ' be',
  ' for',
  ' on',
  ' with',
  ' as',
];

/**
 * Splits a text into the strings of its o200k_base tokens. Tokens that end inside a multi-byte character are
 * merged with the next ones, so every piece is valid UTF-8 and the pieces concatenate to the text.
 */
export function _tokenPieces(text: string): string[] {
  if (text.length === 0) return [];
  const tokens = encode(text, _AS_TEXT);
  const pieces: string[] = [];
  let group: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    group.push(tokens[i]);
    const piece = decode(group);
    if (piece.endsWith('\uFFFD') && i + 1 < tokens.length) continue;
    pieces.push(piece);
    group = [];
  }
  return pieces.join('') === text ? pieces : [text];
}

/**
 * Default log-probabilities: the chosen token gets probability p in [0.6, 1) from a hash of (position, token);
 * alternative j (1-based) gets (1 - p) / 2^j, so probabilities sum to less than 1.
 */
export function _defaultLogprobs(content: string): MockTokenLogprob[] {
  return _tokenPieces(content).map((token, position) => {
    const h = _fnv1a(`${position}\u0000${token}`);
    const p = 0.6 + (0.4 * (h % 1000)) / 1000;
    const logprob = Math.log(p);
    const top: MockTopLogprob[] = [{ token, logprob }];
    let j = 1;
    for (let k = 0; k < _ALTERNATIVES.length && top.length < 20; k++) {
      const alt = _ALTERNATIVES[(h + k) % _ALTERNATIVES.length];
      if (alt === token || top.some((t) => t.token === alt)) continue;
      top.push({ token: alt, logprob: Math.log((1 - p) / 2 ** j) });
      j++;
    }
    return { token, logprob, topLogprobs: top };
  });
}

/** UTF-8 bytes of a token, as the API reports them. */
export function _bytes(token: string): number[] {
  return Array.from(Buffer.from(token, 'utf8'));
}

/** Wire form of one token's log-probabilities, keeping `k` alternatives. */
export function _wireLogprob(lp: MockTokenLogprob, k: number): Record<string, unknown> {
  const top = (lp.topLogprobs ?? [{ token: lp.token, logprob: lp.logprob }]).slice(0, k);
  return {
    token: lp.token,
    logprob: lp.logprob,
    bytes: _bytes(lp.token),
    top_logprobs: top.map((t) => ({ token: t.token, logprob: t.logprob, bytes: _bytes(t.token) })),
  };
}
