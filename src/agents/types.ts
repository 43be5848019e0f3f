/**
 * What an agent metric expects of a row: the reference shape the metrics read from `example.reference` (or from
 * an accessor).
 * @module
 */
import type { Example } from '../core/types.js';

/**
 * An expected tool call: its name and, for {@link toolArguments}, the acceptable arguments. Each argument is
 * either a value the call must pass (compared type-aware, see {@link matchToolArguments}) or an object with a
 * `$`-key saying what is acceptable:
 * - `{ "$anyOf": [v1, v2, …] }`: any of these values;
 * - `{ "$any": true }`: any value, as long as the argument is passed;
 * - `"$optional": true` next to either (`{ "$anyOf": ["C"], "$optional": true }`): the argument may also be
 *   left out.
 * Plain JSON, so references load from JSONL as they are.
 *
 * @example
 * ```ts
 * const call: ExpectedToolCall = {
 *   name: 'get_weather',
 *   arguments: { city: { $anyOf: ['Paris', 'Paris, France'] }, unit: { $anyOf: ['C'], $optional: true } },
 * };
 * ```
 */
export interface ExpectedToolCall {
  readonly name: string;
  /** The acceptable arguments, by parameter. @default any arguments (only the name is checked) */
  readonly arguments?: Readonly<Record<string, unknown>>;
}

/**
 * One position in the expected sequence of tool calls: a call (or just its tool name), or an array of them
 * that may happen in any order among themselves (an order-free group).
 *
 * @example
 * ```ts
 * const steps: ExpectedToolStep[] = ['search', ['get_weather', 'get_time'], { name: 'convert' }];
 * ```
 */
export type ExpectedToolStep = string | ExpectedToolCall | readonly (string | ExpectedToolCall)[];

/**
 * The expected behaviour of an agent on one row, as the agent metrics read it from `example.reference`.
 *
 * @example
 * ```ts
 * const reference: AgentReference = {
 *   toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }, 'convert'],
 *   steps: 3,
 *   tokens: 900,
 *   answer: 'It is 64F in Paris.',
 * };
 * ```
 */
export interface AgentReference {
  /** The tool calls, in the expected order (arrays inside are order-free groups). */
  readonly toolCalls?: readonly ExpectedToolStep[];
  /** Model calls a good trajectory needs (for {@link trajectoryEfficiency}). */
  readonly steps?: number;
  /** Tokens (input + output, model calls) a good trajectory needs (for {@link trajectoryEfficiency}). */
  readonly tokens?: number;
  /** The expected final answer (shown to {@link goalCompletion}'s judge). */
  readonly answer?: string;
}

/**
 * Reads a row's expected behaviour; `undefined` makes the row's score missing.
 *
 * @example
 * ```ts
 * const expected: AgentReferenceAccessor = (ex) => (ex.metadata?.expected as AgentReference | undefined);
 * ```
 */
export type AgentReferenceAccessor = (example: Example) => AgentReference | undefined;

/** Options every trajectory metric shares. */
export interface AgentMetricOptions {
  /** Metric name in results. */
  readonly name?: string;
  /** Where the expected behaviour is. @default `example.reference` when it is an object */
  readonly expected?: AgentReferenceAccessor;
}
