/**
 * Trajectory types: what an agent did on the way to its answer, one entry per network call of a row. Types
 * only; recorded by evalgate/agents' recorder from the call path, read by the agent metrics and the reports.
 * @module
 */
// Spelled out rather than imported: types.ts imports this module, and type-only cycles count too.
type CallKind = 'model' | 'judge' | 'embedding';
interface Usage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * One tool call a model response asked for.
 *
 * @example
 * ```ts
 * const call: TrajectoryToolCall = { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } };
 * ```
 */
export interface TrajectoryToolCall {
  readonly id: string;
  readonly name: string;
  /**
   * The arguments parsed from JSON (the raw text when it is not JSON; a custom tool's text input as is). Strings longer than the recorder's limit
   * are cut and end with `…[truncated N chars]`; key-shaped credentials in them read `***`.
   */
  readonly arguments: unknown;
}

/**
 * One tool result a later request carried back to the model.
 *
 * @example
 * ```ts
 * const result: TrajectoryToolResult = { id: 'call_1', name: 'get_weather', content: '18C', isError: false };
 * ```
 */
export interface TrajectoryToolResult {
  /** The id of the call it answers. */
  readonly id: string;
  /** The tool's name, when known (from the call with the same id, or the body). */
  readonly name?: string;
  /** The result as text (cut at the recorder's limit, ending with `…[truncated N chars]`; key-shaped credentials read `***`). */
  readonly content: string;
  /**
   * An error result: flagged by the body (Anthropic `is_error`, AI SDK `error-text` / `error-json` outputs) or
   * reading as one (a JSON object with a truthy top-level `error`, or text starting with the word `error`).
   */
  readonly isError: boolean;
}

/**
 * One call of a row, in the order the calls were made.
 *
 * @example
 * ```ts
 * const step: TrajectoryStep = {
 *   kind: 'model', api: 'openai.chat', model: 'gpt-4o-mini',
 *   toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
 *   toolResults: [{ id: 'call_1', name: 'get_weather', content: '18C', isError: false }],
 *   usage: { inputTokens: 52, outputTokens: 12 }, latencyMs: 310, cached: false,
 * };
 * ```
 */
export interface TrajectoryStep {
  readonly kind: CallKind;
  /**
   * The wire format the call was read in: `'openai.chat'`, `'openai.responses'`, `'anthropic.messages'`,
   * `'ai-sdk'`, `'openai.embeddings'`, or `'other'` (a call whose bodies evalgate cannot read; still counted).
   */
  readonly api: string;
  readonly model?: string;
  /** The tool calls the response asked for, in order. */
  readonly toolCalls: readonly TrajectoryToolCall[];
  /**
   * The results of this step's tool calls, as the next requests carried them back (or the response itself, for
   * tools the API server ran: OpenAI remote MCP calls), in call order.
   */
  readonly toolResults: readonly TrajectoryToolResult[];
  /** The response's text (absent in the `'tool-calls'` form; cut at the recorder's limit; credentials hidden). */
  readonly text?: string;
  readonly usage?: Usage;
  /** Wall time of the call through the runtime (retries included; near 0 on a cache hit). */
  readonly latencyMs: number;
  /** Answered by the cache (or an identical call in flight). */
  readonly cached: boolean;
  /** The error message of a call that failed. */
  readonly error?: string;
}

/**
 * The trajectory of one row: its calls in order.
 *
 * @example
 * ```ts
 * record.trajectory?.steps.flatMap((s) => s.toolCalls.map((c) => c.name)); // => ['get_weather', 'convert']
 * ```
 */
export interface Trajectory {
  readonly steps: readonly TrajectoryStep[];
  /** `'calls'`: recorded from the wrapped clients; `'model'`: returned by the model itself. */
  readonly source: 'calls' | 'model';
  /** `'full'` keeps texts and every call; `'tool-calls'` keeps model calls without their text. */
  readonly form: 'full' | 'tool-calls';
  /** True when a content was cut or steps were dropped to keep the trajectory bounded. */
  readonly truncated: boolean;
  /** Steps left out past the step limit (they still count in the record's totals). @default 0 */
  readonly droppedSteps?: number;
}

/**
 * A trajectory as a model may return it itself (`{ output, trajectory }`), for agents built on clients evalgate
 * does not wrap: only tool names are required; the rest is filled in (`kind: 'model'`, `api: 'other'`, ids
 * `step<i>_<j>`, `latencyMs: 0`, `cached: false`), then bounded like a recorded one.
 *
 * @example
 * ```ts
 * const trajectory: TrajectoryInput = {
 *   steps: [{ toolCalls: [{ name: 'search', arguments: { q: 'evalgate' } }], toolResults: [{ content: '3 hits' }] }, { text: 'Done' }],
 * };
 * ```
 */
export interface TrajectoryInput {
  readonly steps: readonly {
    readonly kind?: CallKind;
    readonly api?: string;
    readonly model?: string;
    readonly toolCalls?: readonly {
      readonly id?: string;
      readonly name: string;
      readonly arguments?: unknown;
    }[];
    readonly toolResults?: readonly {
      readonly id?: string;
      readonly name?: string;
      readonly content: unknown;
      readonly isError?: boolean;
    }[];
    readonly text?: string;
    readonly usage?: Usage;
    readonly latencyMs?: number;
    readonly cached?: boolean;
    readonly error?: string;
  }[];
}

/**
 * What the call path reports to a row's trajectory recorder after each call (the one hook the runtime calls).
 * Bodies are the JSON request the call sent and the JSON response it got, whatever the layer that saw them.
 */
export interface ObservedCall {
  readonly kind: CallKind;
  /** The runtime's API label (`'openai.responses'`, `'anthropic.messages'`, `'ai-sdk'`, …), when given. */
  readonly api?: string;
  readonly model?: string;
  /** The request body (`undefined` for calls that carry none, e.g. streams). */
  readonly request: unknown;
  /**
   * The response value (`undefined` when the call failed); for a streamed OpenAI or Anthropic call, the SSE text
   * the stream sent, which the recorder reads as the response its events add up to.
   */
  readonly response: unknown;
  readonly usage?: Usage;
  readonly latencyMs: number;
  readonly cached: boolean;
  /** The error of a failed call. */
  readonly error?: unknown;
}
