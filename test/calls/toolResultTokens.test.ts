// The TPM estimate counts the text an agent loop sends back: a tool's result is prompt text the provider counts
// (Anthropic's `tool_result` block, whose `content` is a string or text blocks; the Responses API's
// `function_call_output` item, whose text is its `output`), as are the arguments of the tool calls it replays.
// Regression: only `text` parts and `content` strings were read, so a 2000-token retrieved document returned as a
// tool result was estimated at 0 tokens, and the TPM limit let such requests through together.
import { countTokens } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { _estimateRequestTokens } from '../../src/calls/estimateTokens.js';

const DOC = Array.from({ length: 1000 }, (_, i) => `w${i % 10}`).join(' ');
const doc = countTokens(DOC);
const est = (request: unknown) => _estimateRequestTokens(request, 0);

describe('tool results in the TPM estimate', () => {
  it('Anthropic tool_result with string content, and with text blocks', () => {
    const base = { model: 'm', max_tokens: 0 };
    const empty = est({ ...base, messages: [{ role: 'user', content: [] }] });
    expect(
      est({
        ...base,
        messages: [{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1', content: DOC }] }],
      }),
    ).toBe(empty + doc);
    expect(
      est({
        ...base,
        messages: [
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: DOC }] }],
          },
        ],
      }),
    ).toBe(empty + doc);
  });

  it('Responses function_call_output items and replayed function_call arguments', () => {
    expect(est({ model: 'm', input: [{ type: 'function_call_output', call_id: 'c1', output: DOC }] })).toBe(
      doc + 3,
    );
    expect(
      est({ model: 'm', input: [{ type: 'function_call', call_id: 'c1', name: 'f', arguments: DOC }] }),
    ).toBe(doc + 3);
  });

  it('chat tool calls replayed by the assistant (arguments), beside the tool message that was already counted', () => {
    const args = JSON.stringify({ q: DOC });
    const withCall = est({
      model: 'm',
      messages: [
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: args } }],
        },
      ],
    });
    expect(withCall).toBe(3 + 3 + countTokens(args));
  });
});
