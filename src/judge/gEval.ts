import { _describe } from '../_internal/describe.js';
import { _checkInteger, _checkOptions } from '../_internal/validate.js';
import { builtinMetricDefinition } from '../core/metricDefinition.js';
import type { Metric, MetricRows, MetricScore, ScoreContext } from '../core/types.js';
import { JudgeParseError } from '../errors.js';
import {
  _JUDGE_MODEL_KEY_SET,
  _judgeSetup,
  type _TokenLogprob,
  type JudgeModelOptions,
} from './_internal/judgeCall.js';
import { _checkScale, _checkText, _judgedMaterial, _missingVerdict } from './_internal/verdict.js';
import { _judgeSummarize } from './judgeBiasReport.js';
import type { JudgeScale } from './llmJudge.js';

/** The judge's token allowance: the score, and room to see what follows it (a decimal, a range). */
const MAX_TOKENS = 8;

/** Options of {@link gEval}. */
export interface GEvalOptions extends JudgeModelOptions {
  /** The quality being rated, e.g. "Coherence: the answer is well structured and logically ordered". Required. */
  readonly criteria: string;
  /** Evaluation steps the judge follows (G-Eval's chain of thought, written out). @default none */
  readonly steps?: readonly string[];
  /** Integer scale. @default { min: 1, max: 5 } */
  readonly scale?: JudgeScale;
  /** Alternatives requested per token for the probability weighting. Range: 1-20. @default 20 */
  readonly topLogprobs?: number;
  /** Verdicts sampled (temperature 1) when the endpoint returns no logprobs. Minimum: `1`. @default 10 */
  readonly samples?: number;
}

const G_EVAL_KEYS = Object.keys({
  ..._JUDGE_MODEL_KEY_SET,
  criteria: true,
  steps: true,
  scale: true,
  topLogprobs: true,
  samples: true,
} satisfies Record<keyof GEvalOptions, true>);

/**
 * The probability-weighted score of G-Eval from the score token's top alternatives: the first output token
 * that is an integer locates the score; its alternatives that are allowed scores are renormalized,
 * p(s) = exp(lp_s) / sum exp(lp), and the score is sum p(s) * s (STATS.md section 7; Liu et al. 2023).
 * @throws {JudgeParseError} When no output token is an integer; when digits follow it in the next token or a
 *   minus sign ends the token before it (a score split across tokens); when a decimal point or comma and digits
 *   follow it ("3.5", "4,5": not an integer); when "/" or "out of" comes before it (the scale's end of a score
 *   written otherwise: "Four out of 5"); when a dash and digits follow it ("4-5", "1-5": a range); when the
 *   reply was `cut` (finish_reason 'length') right after it, or after a "." "," or "-" that may continue it; or when
 *   the integer is off the scale.
 */
export function _weightedScore(
  tokens: readonly _TokenLogprob[],
  scale: JudgeScale,
  raw: string,
  cut = false,
): { score: number; probabilities: Record<string, number>; mass: number } {
  const integer = (t: string): number | undefined => {
    const s = t.trim();
    return /^-?\d+$/.test(s) ? Number(s) : undefined;
  };
  const allowed = (t: string): number | undefined => {
    const v = integer(t);
    return v !== undefined && v >= scale.min && v <= scale.max ? v : undefined;
  };
  // The first number is the verdict: skipping an off-scale one read "0.5" as 5 and "7/5" as 5.
  const index = tokens.findIndex((t) => integer(t.token) !== undefined);
  if (index === -1) throw new JudgeParseError('gEval: no output token is a score on the scale', raw);
  const at = tokens[index]!;
  // A score in words or full-width digits ("Four out of 5", "４/5") leaves the scale's end as the first integer:
  // it was read as 5.
  const denominator = /([/\uff0f]|\bout of)\s*$/i.exec(
    tokens
      .slice(0, index)
      .map((t) => t.token)
      .join('') + /^\s*/.exec(at.token)![0],
  );
  if (denominator !== null)
    throw new JudgeParseError(
      `gEval: ${at.token.trim()} follows "${denominator[1]}": it is the end of the scale, not a score`,
      raw,
    );
  // Tokenizers that split numbers into digits (SentencePiece: "10" is "1" + "0") put only the first digit here:
  // its alternatives are not the score's, and reading them gave 1 for a 10. Likewise a minus sign in the token
  // before ("-" + "2" read as 2).
  const sign = /-$/.test(tokens[index - 1]?.token ?? '') && !/^\s/.test(at.token);
  if (sign || /^\d/.test(tokens[index + 1]?.token ?? '')) {
    const parts = sign ? ['-', at.token] : [at.token];
    for (let j = index + 1; j < tokens.length && /^\d+$/.test(tokens[j]!.token); j++)
      parts.push(tokens[j]!.token);
    throw new JudgeParseError(
      `gEval: the score "${parts.join('').trim()}" is split across tokens (${parts.map((p) => JSON.stringify(p)).join(' + ')}): its probability cannot be read from one token`,
      raw,
    );
  }
  // A decimal ("3.5", or "4,5" where the comma is the decimal mark) is no score on an integer scale: reading
  // its integer part gave 3 and 4.
  const decimal = /^[.,]\d+/.exec(
    tokens
      .slice(index + 1, index + 3)
      .map((t) => t.token)
      .join(''),
  );
  if (decimal !== null)
    throw new JudgeParseError(`gEval: the score "${at.token.trim()}${decimal[0]}" is not an integer`, raw);
  // A list item's number ("1. Coherence: 4", "2) Score: 4") followed by another number: which is the score is
  // unclear, and reading the first gave 1. "4. The answer is coherent." (no other number) still reads as 4.
  const after = tokens
    .slice(index + 1)
    .map((t) => t.token)
    .join('');
  if (/^[.)]\s/.test(after) && /\d/.test(after))
    throw new JudgeParseError(
      `gEval: "${at.token.trim()}${after[0]}" may number a list item, and another number follows it: the score is unclear`,
      raw,
    );
  // A range ("4-5", or the scale itself in "Score (1-5): 4") is no one score: reading its first end gave 4 and 1.
  const range = /^\s*[-\u2013\u2014]\s*\d+/.exec(
    tokens
      .slice(index + 1, index + 4)
      .map((t) => t.token)
      .join(''),
  );
  if (range !== null)
    throw new JudgeParseError(`gEval: "${at.token.trim()}${range[0].trim()}" is a range, not a score`, raw);
  // A reply cut by max_tokens right after the score (or after a "." "," "-" that may start more of it) does not
  // show what followed: "Score: 3.5" cut after its 4th o200k token is "Score: 3", which was read as 3.
  if (
    cut &&
    /^[.,\-\u2013\u2014]?$/.test(
      tokens
        .slice(index + 1)
        .map((t) => t.token)
        .join(''),
    )
  )
    throw new JudgeParseError(
      `gEval: the reply was cut (max_tokens) right after the score "${at.token.trim()}": a decimal or a range may have followed`,
      raw,
    );
  const value = integer(at.token)!;
  if (allowed(at.token) === undefined)
    throw new JudgeParseError(`gEval: the score ${value} is off the scale [${scale.min}, ${scale.max}]`, raw);
  // A sampled token need not be among its own top alternatives: without it, a list holding no allowed score
  // gave 0 (then the bottom of the scale), and one holding others left the sampled score out.
  const alternatives = at.top.some((t) => t.token === at.token)
    ? at.top
    : [...at.top, { token: at.token, logprob: at.logprob }];
  let top = Number.NEGATIVE_INFINITY;
  for (const alt of alternatives)
    if (allowed(alt.token) !== undefined && alt.logprob > top) top = alt.logprob;
  // Weights relative to the largest logprob: exp(-800) underflows to 0 and 0 / 0 is NaN, exp(-800 - -800) is 1.
  const weights = new Map<number, number>();
  let mass = 0;
  let total = 0;
  for (const alt of alternatives) {
    const v = allowed(alt.token);
    if (v === undefined) continue;
    const w = Math.exp(alt.logprob - top);
    weights.set(v, (weights.get(v) ?? 0) + w);
    mass += Math.exp(alt.logprob);
    total += w;
  }
  let score = 0;
  const probabilities: Record<string, number> = {};
  for (const [v, w] of [...weights].sort((a, b) => a[0] - b[0])) {
    probabilities[String(v)] = w / total;
    score += (w / total) * v;
  }
  return { score, probabilities, mass };
}

/**
 * The run's warning when rows scored by sampling (no logprobs) averaged fewer valid verdicts than `asked`: an
 * endpoint that ignores `n` answers one choice, and each such score is a single verdict, not a mean of ten.
 */
function _fewSamplesWarnings(name: string, rows: MetricRows, asked: number): string[] {
  let sampled = 0;
  let short = 0;
  let fewest = asked;
  rows.details.forEach((d, i) => {
    const got = (d as { method?: unknown; samples?: unknown } | undefined) ?? {};
    // A row with no valid verdict is a missing score (counted in nMissing): only scored rows are averages.
    if (got.method !== 'sampling' || rows.values[i] === null || !Array.isArray(got.samples)) return;
    sampled++;
    if (got.samples.length < asked) {
      short++;
      fewest = Math.min(fewest, got.samples.length);
    }
  });
  if (short === 0) return [];
  return [
    `metric \`${name}\` (gEval): the endpoint returned no logprobs, and ${short} of the ${sampled} rows it scored by sampling averaged fewer valid verdicts than the ${asked} asked (\`samples\`; as few as ${fewest}): the endpoint may ignore \`n\`, or its verdicts were off the scale (each record's details.samples and details.invalid)`,
  ];
}

/**
 * G-Eval: a judge model rates each output on a criterion, and the score is the probability-weighted mean over
 * the allowed scores, read from the score token's top logprobs (renormalized over the allowed scores), which
 * is finer and less tie-prone than the single sampled digit.
 *
 * When the endpoint returns no logprobs, it falls back to sampling `samples` verdicts at temperature 1 and
 * averaging the valid ones; `details.method` says which ran ('logprobs' or 'sampling'). Rows that got fewer valid
 * verdicts than `samples` (an endpoint that ignores `n` returns one) are counted in one warning of `result.warnings`. A reply with no score
 * on the scale is a missing score (raw text kept), never a default; so is one whose number is a decimal ("3.5"), a
 * range ("4-5"), a list item's number followed by another number ("1. Coherence: 4") or cut by the judge's
 * `max_tokens` right after the score (finish_reason 'length': what followed is unknown).
 *
 * References: Liu et al. (2023), G-Eval: NLG Evaluation using GPT-4 with Better Human Alignment,
 * doi:10.18653/v1/2023.emnlp-main.153.
 *
 * @param options - {@link GEvalOptions}: `model` and `criteria` are required.
 * @returns A continuous {@link Metric} (named `g_eval` unless renamed) carrying `judgeModel`.
 * @throws {TypeError | RangeError} On bad options (`steps` not an array of strings, say).
 * @example
 * ```ts
 * const coherence = gEval({ model: 'gpt-4o', criteria: 'Coherence: the answer is logically ordered.' });
 * // top logprobs of the score token: "4" -0.22, "5" -1.61, "3" -3.0  =>  score ≈ 4.12
 * ```
 */
export function gEval(options: GEvalOptions): Metric & { readonly judgeModel: string } {
  _checkOptions('gEval', options, G_EVAL_KEYS);
  const judge = _judgeSetup(options);
  _checkText('criteria', options.criteria);
  const scale = _checkScale(options.scale);
  const topLogprobs = _checkInteger('topLogprobs', options.topLogprobs ?? 20, 1, 20);
  const samples = _checkInteger('samples', options.samples ?? 10, 1);
  const steps: unknown = options.steps;
  if (steps !== undefined) {
    if (!Array.isArray(steps))
      throw new TypeError(`Expected \`steps\` to be an array of strings, got ${_describe(steps)}`);
    steps.forEach((step: unknown, i) => {
      if (typeof step !== 'string')
        throw new TypeError(`Expected \`steps[${i}]\` to be a string, got ${_describe(step)}`);
    });
  }
  const name = options.name ?? 'g_eval';
  const system = [
    'You will rate one AI response on a single criterion.',
    '',
    `Criterion: ${options.criteria}`,
    ...(options.steps && options.steps.length > 0
      ? ['', 'Evaluation steps:', ...options.steps.map((s, i) => `${i + 1}. ${s}`)]
      : []),
    '',
    `Reply with the score only: one integer from ${scale.min} to ${scale.max}, nothing else.`,
  ].join('\n');
  return Object.freeze({
    name,
    kind: 'continuous' as const,
    bounds: [scale.min, scale.max] as const,
    judgeModel: options.model,
    definition: builtinMetricDefinition('gEval', {
      model: options.model,
      criteria: options.criteria,
      steps: options.steps === undefined ? [] : [...options.steps],
      scale: { min: scale.min, max: scale.max },
      topLogprobs,
      samples,
    }),
    summarize: _judgeSummarize(options.model),
    warnings: (rows: MetricRows) => _fewSamplesWarnings(name, rows, samples),
    async score(ctx: ScoreContext): Promise<MetricScore> {
      const messages = [
        { role: 'system', content: system },
        { role: 'user', content: _judgedMaterial(ctx.example, ctx.output) },
      ];
      const first = await judge.call(ctx, {
        messages,
        temperature: 0,
        // Room for a reply that is more than the score ("Score: 3.5" is 6 o200k tokens): at 4 it was cut to
        // "Score: 3", and a judge's "Score: 4" filled max_tokens exactly (finish_reason 'length', refused below).
        max_tokens: MAX_TOKENS,
        logprobs: true,
        top_logprobs: topLogprobs,
      });
      const raw = first.contents[0] ?? '';
      if (first.logprobs !== null && first.logprobs.length > 0) {
        try {
          const w = _weightedScore(first.logprobs, scale, raw, first.finishReason === 'length');
          return {
            // A probability-weighted mean of scores on the scale; rounding may carry it a hair past an end.
            value: Math.min(scale.max, Math.max(scale.min, w.score)),
            details: { method: 'logprobs', probabilities: w.probabilities, mass: w.mass },
          };
        } catch (err) {
          return _missingVerdict(err, { method: 'logprobs' });
        }
      }
      // No logprobs from this endpoint: sample verdicts and average the valid ones.
      const sampled = await judge.call(ctx, { messages, temperature: 1, max_tokens: 4, n: samples });
      const scores: number[] = [];
      for (const c of sampled.contents) {
        const s = (c ?? '').trim();
        if (/^-?\d+$/.test(s) && Number(s) >= scale.min && Number(s) <= scale.max) scores.push(Number(s));
      }
      if (scores.length === 0)
        return _missingVerdict(
          new JudgeParseError(
            'gEval: no sampled verdict is a score on the scale',
            sampled.contents.join(' | '),
          ),
          {
            method: 'sampling',
          },
        );
      const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
      return {
        value: mean,
        details: { method: 'sampling', samples: scores, invalid: sampled.contents.length - scores.length },
      };
    },
  });
}
