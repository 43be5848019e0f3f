// The task module of test/cluster/unsendableRecords.test.ts: a model that answers locally and a metric whose
// details hold, per the example's `metadata.kind`, a value JSON cannot write (a BigInt) or writes with a change
// (a Date).
import { fileURLToPath } from 'node:url';
import type { Example, Metric, Model } from '../../src/index.js';

export const model: Model = async (input) => `echo ${String((input as { q?: unknown }).q ?? input)}`;

const detailed: Metric = {
  name: 'detailed',
  kind: 'continuous',
  bounds: [0, 1],
  score: ({ example, output }) => {
    const kind = (example.metadata as { kind?: string } | undefined)?.kind;
    const details: Record<string, unknown> =
      kind === 'bigint' ? { n: 5n } : kind === 'date' ? { when: new Date(0) } : {};
    return { value: output.length % 2 === 0 ? 0.25 : 0.75, details };
  },
};

export const metrics: readonly Metric[] = [detailed];

/** `n` examples of one `kind`. */
export function detailsDataset(n: number, kind: string): Example[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${kind}${i}`,
    input: { q: 'x'.repeat(i) },
    metadata: { kind },
  }));
}

export const DETAILS_TASK = fileURLToPath(import.meta.url);
