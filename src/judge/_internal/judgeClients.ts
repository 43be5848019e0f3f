/**
 * The judge's call on clients other than OpenAI's: a wrapped Anthropic client, an AI SDK model, or a plain
 * `complete(messages, ctx)` function. Each takes the OpenAI-shaped chat body the judges build and returns the
 * reply's text (a forced tool call's JSON arguments when the structure was a tool), one choice per sample.
 * @module
 */
import type { ScoreContext, Usage } from '../../core/types.js';
import { type AnthropicLike, wrapAnthropic } from '../../providers/wrapAnthropic.js';

/** A chat message as the judges write it. */
export interface JudgeMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

/** What a plain `complete` function receives besides the messages. */
export interface JudgeCompleteContext {
  /** The judge model's name (the `model` option). */
  readonly model: string;
  /** Aborted on timeout or cancellation: pass it to your client. */
  readonly signal: AbortSignal;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** The JSON Schema the reply must follow, when the judge asks for structured output. */
  readonly schema?: Readonly<Record<string, unknown>>;
  /** Sample index when the judge draws several verdicts (gEval without logprobs). */
  readonly sample: number;
}

/** A plain completion function: messages in, the reply's text out. */
export type JudgeComplete = (messages: readonly JudgeMessage[], ctx: JudgeCompleteContext) => Promise<string>;

/** The parts of an AI SDK language model (specification v2 or v3) a judge uses. */
export interface AISDKModelLike {
  readonly specificationVersion: string;
  readonly provider: string;
  readonly modelId: string;
  doGenerate(options: never): PromiseLike<unknown>;
}

/** One output token's log-probability and its alternatives, as cached (JSON). */
export interface _TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly top: readonly { readonly token: string; readonly logprob: number }[];
}

/** What a judge reads of one chat completion. */
export interface _JudgeReply {
  /** Message content of each choice, or a forced tool call's arguments when it made one. */
  readonly contents: readonly (string | null)[];
  /** Per-token logprobs of the first choice, or null when the endpoint returned none. */
  readonly logprobs: readonly _TokenLogprob[] | null;
  /** Why the first choice ended (`'length'`: cut by max_tokens), when the endpoint says (OpenAI's finish_reason). */
  readonly finishReason?: string;
  /**
   * What the provider said when the first choice is a refusal rather than a verdict: OpenAI's `message.refusal`, an
   * Anthropic reply with `stop_reason: 'refusal'`, or a reply its content filter stopped. Absent otherwise.
   */
  readonly refusal?: string;
}

type Body = Record<string, unknown>;

/**
 * What a reply's forced verdict calls (one or more, as parallel tool calls allow) say: the arguments when every
 * call gives the same, else their arguments as a JSON array, which no judge reads as its verdict object (a missing
 * score that keeps every call): reading the first dropped a second, different verdict.
 */
export function _toolVerdict(args: readonly string[]): string {
  return args.every((a) => a === args[0]) ? args[0]! : `[${args.join(',')}]`;
}

/** The structure the judge asked for: a JSON schema (response format or forced tool), or plain JSON. */
function structureOf(body: Body): { schema?: Record<string, unknown>; tool?: string; json: boolean } {
  const rf = body.response_format as
    | { type?: string; json_schema?: { schema?: Record<string, unknown> } }
    | undefined;
  if (rf?.type === 'json_schema' && rf.json_schema?.schema)
    return { schema: rf.json_schema.schema, json: true };
  const tools = body.tools as
    | { function?: { name?: string; parameters?: Record<string, unknown> } }[]
    | undefined;
  const fn = tools?.[0]?.function;
  if (fn?.parameters) return { schema: fn.parameters, tool: fn.name ?? 'verdict', json: true };
  return { json: rf?.type === 'json_object' };
}

const messagesOf = (body: Body): JudgeMessage[] => (body.messages as JudgeMessage[]) ?? [];
const samplesOf = (body: Body): number => (typeof body.n === 'number' && body.n > 1 ? body.n : 1);

/** The judge's call through a wrapped Anthropic client (Messages API; structure as a forced tool). */
export function _anthropicJudge(client: AnthropicLike, model: string) {
  const wrapped = wrapAnthropic(client) as unknown as {
    messages: { create(body: Body, options: { signal: AbortSignal }): Promise<unknown> };
  };
  return async (ctx: Pick<ScoreContext, 'signal'>, body: Body): Promise<_JudgeReply> => {
    const messages = messagesOf(body);
    const system = messages
      .filter((m) => m.role === 'system')
      .map((m) => m.content)
      .join('\n\n');
    const { schema, tool, json } = structureOf(body);
    const request: Body = {
      model,
      max_tokens: typeof body.max_tokens === 'number' ? body.max_tokens : 1024,
      ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
      ...(system === ''
        ? {}
        : { system: json && schema === undefined ? `${system}\n\nReply with JSON only.` : system }),
      messages: messages
        .filter((m) => m.role !== 'system')
        .map((m) => ({ role: m.role, content: m.content })),
      ...(schema === undefined
        ? {}
        : {
            tools: [{ name: tool ?? 'verdict', description: 'Record the verdict.', input_schema: schema }],
            tool_choice: { type: 'tool', name: tool ?? 'verdict' },
          }),
    };
    const contents: (string | null)[] = [];
    let refusal: string | undefined;
    for (let k = 0; k < samplesOf(body); k++) {
      // Several samples differ in metadata.user_id, so the cache and single flight keep them apart.
      const msg = (await wrapped.messages.create(
        k === 0 ? request : { ...request, metadata: { user_id: `evalgate-sample-${k}` } },
        { signal: ctx.signal },
      )) as { content?: { type: string; text?: string; input?: unknown }[]; stop_reason?: unknown };
      if (k === 0 && msg.stop_reason === 'refusal') {
        const said = (msg.content ?? []).flatMap((b) => (b.type === 'text' ? [b.text ?? ''] : [])).join('');
        refusal = said === '' ? 'stop_reason refusal, no text' : said;
        contents.push(null);
        continue;
      }
      const blocks = msg.content ?? [];
      const calls = blocks.filter((b) => b.type === 'tool_use');
      if (calls.length > 0) contents.push(_toolVerdict(calls.map((b) => JSON.stringify(b.input))));
      else {
        const text = blocks
          .filter((b) => b.type === 'text')
          .map((b) => b.text ?? '')
          .join('');
        contents.push(text === '' ? null : text);
      }
    }
    return { contents, logprobs: null, ...(refusal === undefined ? {} : { refusal }) };
  };
}

function tokens(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  const total = (v as { total?: unknown } | null)?.total;
  return typeof total === 'number' ? total : undefined;
}

/** Runs `send` through the run's call runtime when there is one (inside evaluate()), directly otherwise. */
async function runtimeCall(
  ctx: Pick<ScoreContext, 'signal' | 'call'>,
  request: Body,
  api: string,
  model: string,
  send: (signal: AbortSignal) => Promise<{ value: string | null; usage?: Usage }>,
): Promise<string | null> {
  if (ctx.call === undefined) return (await send(ctx.signal)).value;
  const r = await ctx.call({ request, api, kind: 'judge', model }, send);
  return r.value;
}

/** The judge's call on an AI SDK model, through the run's call runtime (`ctx.call`). */
export function _aiSdkJudge(model: AISDKModelLike, name: string) {
  return async (ctx: Pick<ScoreContext, 'signal' | 'call'>, body: Body): Promise<_JudgeReply> => {
    const messages = messagesOf(body);
    const { schema, tool, json } = structureOf(body);
    const prompt = messages.map((m) =>
      m.role === 'system'
        ? { role: 'system', content: m.content }
        : { role: m.role, content: [{ type: 'text', text: m.content }] },
    );
    const options: Body = {
      prompt,
      ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
      ...(typeof body.max_tokens === 'number' ? { maxOutputTokens: body.max_tokens } : {}),
      ...(tool !== undefined
        ? {
            tools: [
              { type: 'function', name: tool, description: 'Record the verdict.', inputSchema: schema },
            ],
            toolChoice: { type: 'tool', toolName: tool },
          }
        : json
          ? { responseFormat: { type: 'json', ...(schema === undefined ? {} : { schema, name: 'verdict' }) } }
          : {}),
    };
    const contents: (string | null)[] = [];
    for (let k = 0; k < samplesOf(body); k++) {
      const request = { provider: model.provider, modelId: model.modelId, ...options, sample: k };
      contents.push(
        await runtimeCall(ctx, request, 'ai-sdk.generate', name, async (signal) => {
          const res = (await model.doGenerate({ ...options, abortSignal: signal } as never)) as {
            content?: { type: string; text?: string; input?: unknown }[];
            usage?: { inputTokens?: unknown; outputTokens?: unknown };
          };
          const parts = res.content ?? [];
          const calls = parts.filter((p) => p.type === 'tool-call');
          const text =
            calls.length > 0
              ? _toolVerdict(
                  calls.map((c) => (typeof c.input === 'string' ? c.input : JSON.stringify(c.input))),
                )
              : parts
                  .filter((p) => p.type === 'text')
                  .map((p) => p.text ?? '')
                  .join('');
          const i = tokens(res.usage?.inputTokens);
          const o = tokens(res.usage?.outputTokens);
          return {
            value: text === '' ? null : text,
            ...(i === undefined && o === undefined
              ? {}
              : { usage: { inputTokens: i ?? 0, outputTokens: o ?? 0 } }),
          };
        }),
      );
    }
    return { contents, logprobs: null };
  };
}

/** The judge's call on a plain `complete(messages, ctx)` function, through the run's call runtime. */
export function _completeJudge(complete: JudgeComplete, model: string) {
  return async (ctx: Pick<ScoreContext, 'signal' | 'call'>, body: Body): Promise<_JudgeReply> => {
    const messages = messagesOf(body);
    const { schema } = structureOf(body);
    const contents: (string | null)[] = [];
    for (let k = 0; k < samplesOf(body); k++) {
      const request = {
        model,
        messages,
        ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
        ...(typeof body.max_tokens === 'number' ? { max_tokens: body.max_tokens } : {}),
        ...(schema === undefined ? {} : { schema }),
        sample: k,
      };
      contents.push(
        await runtimeCall(ctx, request, 'evalgate.complete', model, async (signal) => {
          const text = await complete(messages, {
            model,
            signal,
            sample: k,
            ...(typeof body.temperature === 'number' ? { temperature: body.temperature } : {}),
            ...(typeof body.max_tokens === 'number' ? { maxTokens: body.max_tokens } : {}),
            ...(schema === undefined ? {} : { schema }),
          });
          if (typeof text !== 'string')
            throw new TypeError(
              `Expected the judge's \`complete\` function to return a string, got ${typeof text}`,
            );
          return { value: text };
        }),
      );
    }
    return { contents, logprobs: null };
  };
}
