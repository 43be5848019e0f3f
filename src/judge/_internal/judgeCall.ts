import OpenAI from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { _describe } from '../../_internal/describe.js';
import { _checkOptionsObject } from '../../_internal/validate.js';
import { _createRuntime, type CallRuntime } from '../../scheduler/runtime.js';
import type { ScoreContext } from '../../types.js';

/** Options every judge shares: which model judges, through which client. */
export interface JudgeModelOptions {
  /** The judge model's name, e.g. `'gpt-4o'`. Required. */
  readonly model: string;
  /**
   * An `OpenAI` client for the judge's endpoint (its own retries are turned off: evalgate retries).
   * @default `new OpenAI()`, reading `OPENAI_API_KEY` / `OPENAI_BASE_URL`
   */
  readonly client?: OpenAI;
  /** Metric name in results. */
  readonly name?: string;
}

/** One output token's log-probability and its alternatives, as cached (JSON). */
export interface _TokenLogprob {
  readonly token: string;
  readonly logprob: number;
  readonly top: readonly { readonly token: string; readonly logprob: number }[];
}

/** What is cached for one judge call: JSON only. */
export interface _JudgeReply {
  /** Message content of each choice (a forced tool call's arguments when there is no content). */
  readonly contents: readonly (string | null)[];
  /** Per-token logprobs of the first choice, or null when the endpoint returned none. */
  readonly logprobs: readonly _TokenLogprob[] | null;
}

/** Validates the options every judge shares and returns the client maker and a runtime fallback. */
export function _judgeSetup(options: JudgeModelOptions): {
  call(
    ctx: Pick<ScoreContext, 'example' | 'signal' | 'trial' | 'runtime'>,
    body: Record<string, unknown>,
  ): Promise<_JudgeReply>;
} {
  _checkOptionsObject('options', options);
  if (options === undefined)
    throw new TypeError(`Expected \`options\` to be an options object, got ${_describe(options)}`);
  if (typeof options.model !== 'string' || options.model.length === 0)
    throw new TypeError(`Expected \`model\` to be a non-empty string, got ${_describe(options.model)}`);
  if (options.client !== undefined && !(options.client instanceof OpenAI))
    throw new TypeError(`Expected \`client\` to be an OpenAI client, got ${_describe(options.client)}`);
  let client: OpenAI | undefined;
  let fallback: CallRuntime | undefined;
  return {
    async call(ctx, body) {
      client ??= (options.client ?? new OpenAI()).withOptions({ maxRetries: 0 });
      const c = client;
      if (ctx.runtime === undefined) fallback ??= _createRuntime();
      const runtime = ctx.runtime ?? (fallback as CallRuntime);
      const request = { ...body, model: options.model } as ChatCompletionCreateParamsNonStreaming;
      const res = await runtime.call<_JudgeReply>(
        {
          kind: 'judge',
          trial: ctx.trial ?? 0,
          request,
          model: options.model,
          ...(ctx.example.id === undefined ? {} : { exampleId: ctx.example.id }),
        },
        async (signal) => {
          const r = await c.chat.completions.create(request, { signal });
          const contents = r.choices.map((ch) => {
            if (typeof ch.message.content === 'string') return ch.message.content;
            const tool = ch.message.tool_calls?.[0];
            return tool && tool.type === 'function' ? tool.function.arguments : null;
          });
          const lp = r.choices[0]?.logprobs?.content;
          const logprobs = Array.isArray(lp)
            ? lp.map((t) => ({
                token: t.token,
                logprob: t.logprob,
                top: (t.top_logprobs ?? []).map((x) => ({ token: x.token, logprob: x.logprob })),
              }))
            : null;
          return {
            value: { contents, logprobs },
            ...(r.usage
              ? { usage: { inputTokens: r.usage.prompt_tokens, outputTokens: r.usage.completion_tokens } }
              : {}),
          };
        },
        ctx.signal,
      );
      return res.value;
    },
  };
}
