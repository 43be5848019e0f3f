// openaiModel's chat parameters and messages take readonly inputs: a user's `as const` tools, stop list, messages
// and JSON schemas compile (the published types restate the SDK's with readonly arrays and objects throughout, and
// evalgate never mutates them). Checked by tsc over test/ (`tsc -p tsconfig.json`); this guards it, as nothing was
// wrong when it was written: every array of OpenAIChatParams / OpenAIChatMessage was already readonly.
import { describe, expectTypeOf, it } from 'vitest';
import {
  type OpenAIChatMessage,
  type OpenAIChatParams,
  type OpenAIModelOptions,
  openaiModel,
} from '../../src/index.js';

const tools = [
  {
    type: 'function',
    function: {
      name: 'lookup',
      description: 'Look up',
      parameters: { type: 'object', required: ['q'] },
      strict: true,
    },
  },
  { type: 'custom', custom: { name: 'grep', format: { type: 'text' } } },
] as const;
const messages = [
  { role: 'system', content: 'Be brief.' },
  { role: 'user', content: [{ type: 'text', text: 'hi' }] },
  {
    role: 'assistant',
    content: null,
    tool_calls: [{ id: 'c1', type: 'function', function: { name: 'lookup', arguments: '{}' } }],
  },
] as const;
const params = {
  stop: ['\n', 'END'],
  modalities: ['text'],
  tools,
  tool_choice: {
    type: 'allowed_tools',
    allowed_tools: { mode: 'auto', tools: [{ type: 'function', function: { name: 'lookup' } }] },
  },
  functions: [{ name: 'f', parameters: { type: 'object', properties: { a: { type: 'string' } } } }],
  prediction: { type: 'content', content: [{ type: 'text', text: 'x' }] },
  response_format: {
    type: 'json_schema',
    json_schema: { name: 's', schema: { type: 'object', required: ['a'] } },
  },
  logit_bias: { '50256': -100 },
  metadata: { run: 'a' },
  web_search_options: { user_location: { type: 'approximate', approximate: { city: 'Paris' } } },
} as const;

describe('openaiModel accepts readonly (as const) inputs', () => {
  it('compiles', () => {
    expectTypeOf(params).toExtend<OpenAIChatParams>();
    expectTypeOf(messages).toExtend<readonly OpenAIChatMessage[]>();
    const options = { model: 'gpt-4o-mini', prompt: () => messages, ...params } satisfies OpenAIModelOptions;
    expectTypeOf(openaiModel).toBeCallableWith(options);
  });
});
