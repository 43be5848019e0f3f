/**
 * Records a row's trajectory from the call path: one {@link ObservedCall} per call (the request and response JSON
 * bodies, kind, model, usage, latency, cache hit), read by provider-specific parsers that only look at the
 * bodies, so the same recorder works whatever layer intercepts the calls.
 * @module
 */

import { _bytesName, _isBytes } from '../_internal/bytes.js';
import { _describe } from '../_internal/describe.js';
import { _redactKnownSecrets } from '../_internal/redactSecrets.js';
import type {
  ObservedCall,
  Trajectory,
  TrajectoryInput,
  TrajectoryStep,
  TrajectoryToolCall,
  TrajectoryToolResult,
} from '../core/trajectory.js';
import { _isOptionsObject, _isRecord } from './_internal/common.js';
import { _readResponse, _readsAsError, _readToolResults } from './_internal/readBodies.js';

/** Which form a trajectory is kept in (see {@link Trajectory.form}). */
export type TrajectoryForm = 'full' | 'tool-calls';

/** Bounds of a recorded trajectory. */
export interface TrajectoryLimits {
  /** Steps kept; later ones are dropped and counted in `droppedSteps`. Range: integer >= 1. @default 200 */
  readonly maxSteps?: number;
  /**
   * Characters kept of each text, tool result and string argument (longer ones are cut and end with
   * `…[truncated N chars]`). Range: integer >= 16.
   * @default 2000 in the full form, 200 in the `'tool-calls'` form
   */
  readonly maxContentChars?: number;
}

interface Pending {
  readonly seq: number;
  readonly start: number;
  readonly step: Omit<TrajectoryStep, 'toolResults'>;
  /** Tool results the request carried back (of earlier calls). */
  readonly results: readonly TrajectoryToolResult[];
  /** Tool results the response carried itself (tools the API server ran). */
  readonly own: readonly TrajectoryToolResult[];
}

const API_LABELS: Readonly<Record<string, string>> = {
  'openai.responses': 'openai.responses',
  'anthropic.messages': 'anthropic.messages',
  'ai-sdk': 'ai-sdk',
  'openai.embeddings': 'openai.embeddings',
};

/**
 * A content as a trajectory keeps it: credentials recognisable by their shape hidden (a tool's error may echo the
 * key it was sent, a model may quote one; see `_redactKnownSecrets`), then cut at `max` characters.
 */
function cut(raw: string, max: number, mark: () => void): string {
  const text = _redactKnownSecrets(raw);
  if (text.length <= max) return text;
  mark();
  return `${text.slice(0, max)}…[truncated ${text.length - max} chars]`;
}

/**
 * Bytes (a typed array, a Buffer, a DataView, an ArrayBuffer; see `_isBytes`) as a trajectory keeps them: a mark
 * with their size, since JSON would write one key per byte (`{"0":137,…}`). `undefined` for anything else.
 */
function bytesMark(value: unknown, mark: () => void): string | undefined {
  if (!_isBytes(value)) return undefined;
  mark();
  return `…[truncated: ${_bytesName(value)} of ${value.byteLength} bytes]`;
}

/** Strings inside arguments cut at `max`, arrays at 100 items, depth at 8, bytes to a mark (a bounded copy). */
function bounded(value: unknown, max: number, mark: () => void, depth = 0): unknown {
  if (typeof value === 'string') return cut(value, max, mark);
  if (value === null || typeof value !== 'object') return value;
  const bytes = bytesMark(value, mark);
  if (bytes !== undefined) return bytes;
  if (depth >= 8) {
    mark();
    return '…[truncated: nested too deep]';
  }
  if (Array.isArray(value)) {
    if (value.length > 100) mark();
    return value.slice(0, 100).map((v) => bounded(v, max, mark, depth + 1));
  }
  // fromEntries defines own keys: an assignment `out[k] = v` would run the `__proto__` setter instead.
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bounded(v, max, mark, depth + 1)]));
}

/** An error's message as a step keeps it, credentials recognisable by their shape hidden (see `serializeError`). */
function errorText(err: unknown): string {
  return _redactKnownSecrets(err instanceof Error ? err.message : String(err));
}

/**
 * Collects the calls of one row and assembles its {@link Trajectory}: each response's tool calls, matched with the
 * tool results later requests carried back (by call id), in the order the calls started.
 *
 * @example
 * ```ts
 * const recorder = new TrajectoryRecorder('full');
 * recorder.observe({ kind: 'model', api: 'openai.chat', request, response, latencyMs: 12, cached: false });
 * recorder.finish().steps.length; // => 1
 * ```
 */
export class TrajectoryRecorder {
  readonly #form: TrajectoryForm;
  readonly #maxSteps: number;
  readonly #max: number;
  readonly #pending: Pending[] = [];
  #seq = 0;
  #truncated = false;

  /**
   * @param form - `'full'` (texts, every call) or `'tool-calls'` (model calls only, no text, short contents).
   * @param limits - {@link TrajectoryLimits}.
   * @throws {RangeError} On limits out of range.
   */
  constructor(form: TrajectoryForm, limits: TrajectoryLimits = {}) {
    if (form !== 'full' && form !== 'tool-calls')
      throw new TypeError(`Expected \`form\` to be 'full' or 'tool-calls', got \`${String(form)}\``);
    this.#form = form;
    this.#maxSteps = limits.maxSteps ?? 200;
    this.#max = limits.maxContentChars ?? (form === 'full' ? 2000 : 200);
    if (!Number.isInteger(this.#maxSteps) || this.#maxSteps < 1)
      throw new RangeError(`Expected \`maxSteps\` to be an integer >= 1, got \`${this.#maxSteps}\``);
    if (!Number.isInteger(this.#max) || this.#max < 16)
      throw new RangeError(`Expected \`maxContentChars\` to be an integer >= 16, got \`${this.#max}\``);
  }

  /** Records one call (the hook the call path invokes after each call, successful or not). */
  readonly observe = (call: ObservedCall): void => {
    if (this.#form === 'tool-calls' && call.kind !== 'model') return;
    const mark = () => {
      this.#truncated = true;
    };
    const read = _readResponse(call.response);
    const api =
      (call.api === undefined ? undefined : API_LABELS[call.api]) ??
      read.api ??
      (_isRecord(call.request) && Array.isArray(call.request.messages) ? 'openai.chat' : 'other');
    const step: Omit<TrajectoryStep, 'toolResults'> = {
      kind: call.kind,
      api,
      ...(call.model === undefined ? {} : { model: call.model }),
      toolCalls: read.toolCalls.map((c) => ({ ...c, arguments: bounded(c.arguments, this.#max, mark) })),
      ...(this.#form === 'full' && read.text !== undefined ? { text: cut(read.text, this.#max, mark) } : {}),
      ...(call.usage === undefined
        ? {}
        : { usage: { inputTokens: call.usage.inputTokens, outputTokens: call.usage.outputTokens } }),
      latencyMs: call.latencyMs,
      cached: call.cached,
      ...(call.error === undefined ? {} : { error: cut(errorText(call.error), this.#max, mark) }),
    };
    this.#pending.push({
      seq: this.#seq++,
      start: performance.now() - call.latencyMs,
      step,
      results: _readToolResults(call.request),
      own: read.toolResults ?? [],
    });
  };

  /** The trajectory of the calls observed so far. */
  finish(): Trajectory {
    const calls = [...this.#pending].sort((a, b) => a.start - b.start || a.seq - b.seq);
    const mark = () => {
      this.#truncated = true;
    };
    const steps = calls.map((p, i) => {
      const results: TrajectoryToolResult[] = [];
      for (const c of p.step.toolCalls) {
        const found = p.own.find((x) => x.id === c.id) ?? this.#resultFor(c, calls, i);
        if (found !== undefined)
          results.push({
            ...found,
            name: found.name ?? c.name,
            content: cut(found.content, this.#max, mark),
          });
      }
      return { ...p.step, toolResults: results };
    });
    const kept = steps.slice(0, this.#maxSteps);
    const dropped = steps.length - kept.length;
    return Object.freeze({
      steps: kept,
      source: 'calls' as const,
      form: this.#form,
      truncated: this.#truncated || dropped > 0,
      ...(dropped > 0 ? { droppedSteps: dropped } : {}),
    });
  }

  /**
   * The result for `call` that the first later request carrying its id brought back: the last one with that id
   * in the request, since a request carries the whole conversation and some servers reuse ids across turns
   * (`call_0` in every response), so earlier turns' results with the same id come before this call's.
   */
  #resultFor(
    call: TrajectoryToolCall,
    calls: readonly Pending[],
    at: number,
  ): TrajectoryToolResult | undefined {
    if (call.id === '') return undefined;
    for (let j = at + 1; j < calls.length; j++) {
      const r = calls[j]!.results.findLast((x) => x.id === call.id);
      if (r !== undefined) return r;
    }
    return undefined;
  }
}

/** A token count: a finite number >= 0. */
function isCount(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

function isTrajectory(v: unknown): v is Trajectory {
  return _isRecord(v) && Array.isArray(v.steps) && (v.source === 'calls' || v.source === 'model');
}

/**
 * A model's own trajectory (`{ output, trajectory }`), checked and bounded like a recorded one: missing fields are
 * filled in (`kind: 'model'`, `api: 'other'`, ids `step<i>_<j>`, `latencyMs: 0`, `cached: false`), results are
 * matched to calls by id (or by position within the step), contents are cut and steps dropped past the limits.
 *
 * @param input - What the model returned as `trajectory`.
 * @param form - The run's form.
 * @param limits - {@link TrajectoryLimits}.
 * @returns The trajectory, `source: 'model'`.
 * @throws {TypeError} When `input` is not `{ steps: [...] }` or a tool call has no name.
 * @example
 * ```ts
 * trajectoryFromModel({ steps: [{ toolCalls: [{ name: 'search' }] }] }, 'full').steps[0].toolCalls[0].id; // => 'step0_0'
 * ```
 */
export function trajectoryFromModel(
  input: TrajectoryInput | Trajectory,
  form: TrajectoryForm,
  limits: TrajectoryLimits = {},
): Trajectory {
  if (!_isRecord(input) || !Array.isArray(input.steps))
    throw new TypeError(
      `Expected the model's \`trajectory\` to be { steps: [...] }, got \`${JSON.stringify(input)?.slice(0, 60)}\``,
    );
  new TrajectoryRecorder(form, limits); // validates the form and limits
  const max = limits.maxContentChars ?? (form === 'full' ? 2000 : 200);
  const steps: TrajectoryStep[] = [];
  let truncated = isTrajectory(input) ? input.truncated : false;
  const mark = () => {
    truncated = true;
  };
  (input.steps as TrajectoryInput['steps']).forEach((s, i) => {
    if (!_isOptionsObject(s))
      throw new TypeError(`Expected the model's \`trajectory.steps[${i}]\` to be an object`);
    const kind = s.kind ?? 'model';
    if (form === 'tool-calls' && kind !== 'model') return;
    const toolCalls = (s.toolCalls ?? []).map((c, j) => {
      if (!_isRecord(c) || typeof c.name !== 'string')
        throw new TypeError(
          `Expected the model's \`trajectory.steps[${i}].toolCalls[${j}].name\` to be a string`,
        );
      return { id: c.id ?? `step${i}_${j}`, name: c.name, arguments: bounded(c.arguments ?? {}, max, mark) };
    });
    const usage = s.usage;
    if (
      usage !== undefined &&
      !(_isRecord(usage) && isCount(usage.inputTokens) && isCount(usage.outputTokens))
    )
      throw new TypeError(
        `Expected the model's \`trajectory.steps[${i}].usage\` to be { inputTokens, outputTokens } with counts >= 0, got ${
          _isRecord(usage)
            ? `{ inputTokens: ${_describe(usage.inputTokens)}, outputTokens: ${_describe(usage.outputTokens)} }`
            : _describe(usage)
        }`,
      );
    const toolResults = (s.toolResults ?? []).map((r, j) => {
      const content =
        typeof r.content === 'string'
          ? r.content
          : (bytesMark(r.content, mark) ?? JSON.stringify(r.content) ?? '');
      const name = r.name ?? toolCalls.find((c) => c.id === r.id)?.name ?? toolCalls[j]?.name;
      return {
        id: r.id ?? toolCalls[j]?.id ?? `step${i}_${j}`,
        ...(name === undefined ? {} : { name }),
        content: cut(content, max, mark),
        isError: r.isError ?? _readsAsError(content),
      };
    });
    steps.push({
      kind,
      api: s.api ?? 'other',
      ...(s.model === undefined ? {} : { model: s.model }),
      toolCalls,
      toolResults,
      ...(form === 'full' && typeof s.text === 'string' ? { text: cut(s.text, max, mark) } : {}),
      ...(usage === undefined
        ? {}
        : { usage: { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } }),
      latencyMs: typeof s.latencyMs === 'number' ? s.latencyMs : 0,
      cached: s.cached === true,
      ...(s.error === undefined ? {} : { error: cut(errorText(s.error), max, mark) }),
    });
  });
  const maxSteps = limits.maxSteps ?? 200;
  const kept = steps.slice(0, maxSteps);
  const dropped = steps.length - kept.length;
  return Object.freeze({
    steps: kept,
    source: 'model' as const,
    form,
    truncated: truncated || dropped > 0,
    ...(dropped > 0 ? { droppedSteps: dropped } : {}),
  });
}
