import { _describe } from '../_internal/describe.js';
import type { Model, ModelContext } from '../core/types.js';
import { EvalgateError } from '../errors.js';

/**
 * A {@link Model} that returns outputs you already have, looked up by example id: score a file of
 * generations, or re-score an old run with new metrics, without calling anything.
 *
 * An example with no stored output fails with code `E_NO_OUTPUT` (recorded on the example like any model
 * failure, never scored as wrong).
 *
 * @param outputs - Example id to output, as a `Map` or a plain object.
 * @returns A model function for `evaluate()`.
 * @throws {TypeError} When `outputs` is neither a Map nor an object, or holds a non-string value.
 * @example
 * ```ts
 * const model = precomputedModel({ q1: '4', q2: 'Paris' });
 * const result = await evaluate([{ id: 'q1', input: '2+2', reference: '4' }], model, [exactMatch()]);
 * result.metrics.exact_match.mean; // => 1
 * ```
 */
export function precomputedModel(
  outputs: ReadonlyMap<string, string> | Readonly<Record<string, string>>,
): Model {
  const map =
    outputs instanceof Map
      ? new Map(outputs)
      : outputs !== null && typeof outputs === 'object' && !Array.isArray(outputs)
        ? new Map(Object.entries(outputs))
        : undefined;
  if (map === undefined)
    throw new TypeError(
      `Expected \`outputs\` to be a Map or an object of id -> output, got ${_describe(outputs)}`,
    );
  for (const [id, out] of map)
    if (typeof out !== 'string')
      throw new TypeError(`Expected \`outputs["${id}"]\` to be a string, got ${_describe(out)}`);
  const model = async (_input: unknown, ctx: ModelContext) => {
    const id = ctx.example.id ?? '';
    const out = map.get(id);
    if (out === undefined)
      throw new EvalgateError('E_NO_OUTPUT', `precomputedModel: no output for example "${id}"`, {
        exampleId: id,
      });
    return out;
  };
  // Declared offline: it makes no call, so replay mode and the cache expect none.
  return Object.assign(model, { offline: true as const });
}
