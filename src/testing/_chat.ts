/**
 * Chat completions: asks the shared answer logic for each choice and builds the `chat.completion` object or the
 * `chat.completion.chunk` stream in the openai v6 wire format.
 * @module
 */

import { _answerChoice, type _Choice } from './_answer.js';
import { _HttpError } from './_httpError.js';
import { _tokenPieces, _wireLogprob } from './_logprobs.js';
import { type _AnswerCall, type _ModelApi, type _Outcome, _parsedBody, _record, _sse } from './_modelApi.js';
import { _openaiWire } from './_openaiWire.js';
import type { MockRequest } from './types.js';

/** `POST /v1/chat/completions`. */
export const _chatApi: _ModelApi = {
  ..._openaiWire,
  api: 'chat',
  parse(body) {
    _validateChatBody(body);
    return _parsedBody(body.messages as readonly object[], {
      responseFormat: _record(body.response_format),
      tools: Array.isArray(body.tools) ? (body.tools as Readonly<Record<string, unknown>>[]) : undefined,
      forcedTool: _forcedTool(body),
    });
  },
  answer: _answerChat,
  malformed(seq, stream) {
    return stream
      ? `data: {"id": "chatcmpl-mock-${seq}", "choices": [\n\n`
      : `{"id": "chatcmpl-mock-${seq}", "object": "chat.completion", "choices": [{"index": 0,`;
  },
};

/** Checks the parts of the body the mock relies on; throws a 400 `_HttpError` otherwise. */
function _validateChatBody(body: Readonly<Record<string, unknown>>): void {
  if (!Array.isArray(body.messages) || body.messages.length === 0)
    throw new _HttpError(400, "Invalid 'messages': expected a non-empty array of messages.", 'messages');
  if (
    body.n !== undefined &&
    body.n !== null &&
    (!Number.isInteger(body.n) || (body.n as number) < 1 || (body.n as number) > 128)
  )
    throw new _HttpError(
      400,
      `Invalid 'n': expected an integer in [1, 128], got ${JSON.stringify(body.n)}.`,
      'n',
    );
  const k = body.top_logprobs;
  if (k !== undefined && k !== null && (!Number.isInteger(k) || (k as number) < 0 || (k as number) > 20))
    throw new _HttpError(
      400,
      `Invalid 'top_logprobs': expected an integer in [0, 20], got ${JSON.stringify(k)}.`,
      'top_logprobs',
    );
}

/** The function `tool_choice` forces: a named function, or the first tool for `'required'`. */
function _forcedTool(body: Readonly<Record<string, unknown>>): string | undefined {
  const choice = body.tool_choice as unknown;
  if (choice !== null && typeof choice === 'object') {
    const fn = (choice as { function?: { name?: unknown } }).function;
    if (typeof fn?.name === 'string') return fn.name;
  }
  if (choice === 'required' && Array.isArray(body.tools)) {
    const first = body.tools[0] as { function?: { name?: unknown } } | undefined;
    if (typeof first?.function?.name === 'string') return first.function.name;
  }
  return undefined;
}

/** Answers every choice and builds the response. */
async function _answerChat({
  request: base,
  promptTokens: counted,
  settings,
  created,
}: _AnswerCall): Promise<_Outcome> {
  const body = base.body;
  const n = typeof body.n === 'number' ? body.n : 1;
  const wantLogprobs = body.logprobs === true;
  const choices: _Choice[] = [];
  for (let i = 0; i < n; i++) {
    const request: MockRequest = { ...base, choiceIndex: i };
    const choice = await _answerChoice(request, settings, wantLogprobs);
    if (choice.fault !== undefined) return { fault: choice.fault };
    choices.push(choice);
  }
  const promptTokens = choices.find((c) => c.promptTokens !== undefined)?.promptTokens ?? counted;
  const completionTokens = choices.reduce((sum, c) => sum + c.completionTokens, 0);
  const usage = _usage(promptTokens, completionTokens);
  const id = `chatcmpl-mock-${base.index}`;
  const model = base.model;
  const k = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0;
  const completion = {
    id,
    object: 'chat.completion',
    created,
    model,
    choices: choices.map((c, index) => ({
      index,
      message: {
        role: 'assistant',
        content: c.content,
        refusal: c.refusal,
        annotations: [],
        ...(c.toolCalls.length > 0
          ? {
              tool_calls: c.toolCalls.map((t) => ({
                id: t.id,
                type: 'function',
                function: { name: t.name, arguments: t.arguments },
              })),
            }
          : {}),
      },
      logprobs:
        wantLogprobs && c.logprobs !== undefined
          ? { content: c.logprobs.map((lp) => _wireLogprob(lp, k)), refusal: null }
          : null,
      finish_reason: c.finishReason,
    })),
    usage,
    service_tier: 'default',
    system_fingerprint: 'fp_mock',
  };
  const events =
    body.stream === true
      ? [
          ..._chunks(id, created, model, choices, usage, wantLogprobs, k, body).map((c) =>
            _sse(undefined, c),
          ),
          'data: [DONE]\n\n',
        ]
      : undefined;
  return { json: completion, events, promptTokens, completionTokens };
}

function _usage(promptTokens: number, completionTokens: number): Record<string, unknown> {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** The chunk stream: a role chunk, one chunk per token piece (or tool call part), a finish chunk per choice, then usage. */
function _chunks(
  id: string,
  created: number,
  model: string,
  choices: readonly _Choice[],
  usage: Record<string, unknown>,
  wantLogprobs: boolean,
  k: number,
  body: Readonly<Record<string, unknown>>,
): Record<string, unknown>[] {
  const includeUsage =
    (body.stream_options as { include_usage?: unknown } | undefined)?.include_usage === true;
  const out: Record<string, unknown>[] = [];
  const chunk = (
    index: number,
    delta: Record<string, unknown>,
    finish: string | null,
    logprobs: unknown = null,
  ) => {
    const c: Record<string, unknown> = {
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [{ index, delta, logprobs, finish_reason: finish }],
    };
    if (includeUsage) c.usage = null;
    out.push(c);
  };
  choices.forEach((c, index) => {
    chunk(index, { role: 'assistant', content: c.content === null ? null : '', refusal: null }, null);
    if (c.content !== null && c.content.length > 0) {
      if (wantLogprobs && c.logprobs !== undefined) {
        for (const lp of c.logprobs)
          chunk(index, { content: lp.token }, null, { content: [_wireLogprob(lp, k)], refusal: null });
      } else {
        for (const piece of _tokenPieces(c.content)) chunk(index, { content: piece }, null);
      }
    }
    if (c.refusal !== null) chunk(index, { refusal: c.refusal }, null);
    c.toolCalls.forEach((t, i) => {
      chunk(
        index,
        { tool_calls: [{ index: i, id: t.id, type: 'function', function: { name: t.name, arguments: '' } }] },
        null,
      );
      if (t.arguments.length > 0)
        chunk(index, { tool_calls: [{ index: i, function: { arguments: t.arguments } }] }, null);
    });
    chunk(index, {}, c.finishReason);
  });
  if (includeUsage) {
    out.push({
      id,
      object: 'chat.completion.chunk',
      created,
      model,
      service_tier: 'default',
      system_fingerprint: 'fp_mock',
      choices: [],
      usage,
    });
  }
  return out;
}
