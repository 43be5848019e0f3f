// The task module of test/cluster/sameAsOneProcess.test.ts: a model answered locally through `ctx.call` (so every
// row is one counted request, cacheable and budgeted, with no server), failing on the examples that ask for it,
// and metrics whose scores and details hold the values a cluster must carry back unchanged.
import { fileURLToPath } from 'node:url';
import type { Metric, Model } from '../../src/index.js';

interface SameInput {
  readonly q: string;
  /** The model throws on this example (a per-row error). */
  readonly fail?: boolean;
}

export const model: Model = async (input, ctx) => {
  const { q, fail } = input as SameInput;
  if (fail === true) throw new Error(`the model failed on "${q}"`);
  const r = await ctx.call({ request: { q }, api: 'same.local', model: 'same-model' }, async () => ({
    value: `echo ${q}`,
    usage: { inputTokens: q.length + 1, outputTokens: 2 },
  }));
  return r.value;
};

/** Binary: the answer equals the reference. */
const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};

/** Continuous in [-1, 1]: `-0` when the question's length is a multiple of 4 (as `Math.round(-0.2)` gives). */
const signed: Metric = {
  name: 'signed',
  kind: 'continuous',
  bounds: [-1, 1],
  score: ({ output }) => (output.length % 4 === 0 ? -0 : ((output.length % 7) - 3) / 3),
};

/** Fails (throws) on every third answer length; its details hold what the example's metadata asks for. */
const flaky: Metric = {
  name: 'flaky',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ example, output }) => {
    if (output.length % 3 === 0) throw new Error(`flaky failed on ${output.length}`);
    const details = (example.metadata as { details?: Record<string, unknown> } | undefined)?.details;
    return { value: (output.length % 5) / 5, ...(details === undefined ? {} : { details }) };
  },
};

export const metrics: readonly Metric[] = [exact, signed, flaky];

export const SAME_TASK = fileURLToPath(import.meta.url);
