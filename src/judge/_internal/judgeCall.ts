import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { _describe } from '../../_internal/describe.js';
import { _checkOptionsObject } from '../../_internal/validate.js';
import type { ScoreContext } from '../../core/types.js';
import { JudgeParseError } from '../../errors.js';
import { lazyOpenAI } from '../../providers/lazyOpenAI.js';
import type { AnthropicLike } from '../../providers/wrapAnthropic.js';
import type { OpenAIClientLike } from '../../providers/wrapOpenAI.js';
import {
  _aiSdkJudge,
  _anthropicJudge,
  _completeJudge,
  type _JudgeReply,
  _toolVerdict,
  type AISDKModelLike,
  type JudgeComplete,
} from './judgeClients.js';

/** Options every judge shares: which model judges, through which client. */
export interface JudgeModelOptions {
  /** The judge model's name, e.g. `'gpt-4o'`. Required. */
  readonly model: string;
  /**
   * Who answers the judge's prompts, always through the run's call runtime (cache, replay, limits, budget):
   * - an `OpenAI` client (its own retries are turned off: evalgate retries);
   * - an `@anthropic-ai/sdk` client (wrapped with `wrapAnthropic`; structured verdicts become a forced tool);
   * - an AI SDK language model (`openai('gpt-4o')`, `anthropic(...)`; called through `ctx.call`);
   * - a plain `complete(messages, ctx) => Promise<string>` function, for any other client.
   * Logprobs (gEval's weighted score) come only from OpenAI clients; the others fall back to sampling.
   * @default `new OpenAI()`, reading `OPENAI_API_KEY` / `OPENAI_BASE_URL`
   */
  readonly client?: OpenAIClientLike | AnthropicLike | AISDKModelLike | JudgeComplete;
  /** Metric name in results. */
  readonly name?: string;
}

/** The keys of {@link JudgeModelOptions}, which every judge's own key list spreads. */
export const _JUDGE_MODEL_KEY_SET = { model: true, client: true, name: true } satisfies Record<
  keyof JudgeModelOptions,
  true
>;
/** The keys of {@link JudgeModelOptions}: the whole options of the RAG judges. */
export const JUDGE_MODEL_KEYS = Object.keys(_JUDGE_MODEL_KEY_SET);

export type { _JudgeReply, _TokenLogprob } from './judgeClients.js';

/** Validates the options every judge shares and returns the judge's call. */
/** One judge request: the body in (OpenAI chat format), the reply out. */
type _JudgeCall = (
  ctx: Pick<ScoreContext, 'signal' | 'call'>,
  body: Record<string, unknown>,
) => Promise<_JudgeReply>;

export function _judgeSetup(options: JudgeModelOptions): { call: _JudgeCall } {
  return { call: _refusing(_judgeClientCall(options)) };
}

/** The judge's call on the client `options` name (validated). */
function _judgeClientCall(options: JudgeModelOptions): _JudgeCall {
  _checkOptionsObject('options', options);
  if (options === undefined)
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  if (typeof options.model !== 'string' || options.model.length === 0)
    throw new TypeError(`Expected \`model\` to be a non-empty string, got ${_describe(options.model)}`);
  const given: unknown = options.client;
  if (typeof given === 'function') return _completeJudge(given as JudgeComplete, options.model);
  if (given !== null && typeof given === 'object') {
    const g = given as Record<string, unknown>;
    if (typeof g.doGenerate === 'function' && typeof g.specificationVersion === 'string')
      return _aiSdkJudge(given as AISDKModelLike, options.model);
    const messages = g.messages as { create?: unknown } | undefined;
    const chat = (g.chat as { completions?: { create?: unknown } } | undefined)?.completions;
    if (typeof messages?.create === 'function' && typeof chat?.create !== 'function')
      return _anthropicJudge(given as AnthropicLike, options.model);
    if (typeof chat?.create !== 'function')
      throw new TypeError(
        `Expected \`client\` to be an OpenAI client, an Anthropic client, an AI SDK model or a complete(messages, ctx) function, got ${_describe(given)}`,
      );
  }
  const client = lazyOpenAI(given);
  // Through the wrapped client: inside evaluate() the call goes through the run's call runtime.
  return async (ctx, body) => {
    // Copied, then set (a literal spreading `body` before its own properties takes a slow path in Node 20's V8).
    const request = Object.assign({}, body) as unknown as ChatCompletionCreateParamsNonStreaming;
    request.model = options.model;
    const r = await client().chat.completions.create(request, { signal: ctx.signal });
    // A forced tool call is the verdict, as on the Anthropic and AI SDK paths: some OpenAI-compatible servers
    // send text beside it ("Here is my verdict."), which was read instead (a missing or a wrong score).
    const contents = r.choices.map((ch) => {
      const args = (ch.message.tool_calls ?? []).flatMap((t) =>
        t.type === 'function' ? [t.function.arguments] : [],
      );
      if (args.length > 0) return _toolVerdict(args);
      return typeof ch.message.content === 'string' ? ch.message.content : null;
    });
    const lp = r.choices[0]?.logprobs?.content;
    const logprobs = Array.isArray(lp)
      ? lp.map((t) => ({
          token: t.token,
          logprob: t.logprob,
          top: (t.top_logprobs ?? []).map((x) => ({ token: x.token, logprob: x.logprob })),
        }))
      : null;
    const finish = r.choices[0]?.finish_reason;
    const said = r.choices[0]?.message.refusal;
    const refusal = contents[0]
      ? undefined
      : typeof said === 'string' && said !== ''
        ? said
        : finish === 'content_filter'
          ? "finish_reason content_filter: the provider's content filter stopped the reply"
          : undefined;
    return {
      contents,
      logprobs,
      ...(typeof finish === 'string' ? { finishReason: finish } : {}),
      ...(refusal === undefined ? {} : { refusal }),
    };
  };
}

/** How much of a refusal the error message quotes. */
const REFUSAL_CHARS = 500;

/**
 * `call` refusing a reply whose first choice the provider refused to give (see `_JudgeReply.refusal`): a
 * JudgeParseError quoting what the provider said, so the row's missing score says why (a refusal's text was
 * lost: the judge read an empty reply, "not JSON", with an empty raw).
 */
function _refusing(call: _JudgeCall): _JudgeCall {
  return async (ctx, body) => {
    const reply = await call(ctx, body);
    if (reply.refusal !== undefined && !reply.contents[0]) {
      const text = reply.refusal;
      const quoted = text.length > REFUSAL_CHARS ? `${text.slice(0, REFUSAL_CHARS)}…` : text;
      throw new JudgeParseError(`the judge refused to give a verdict: ${JSON.stringify(quoted)}`, text);
    }
    return reply;
  };
}
