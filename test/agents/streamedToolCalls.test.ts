// Streamed responses reach the recorder as their SSE text (what the wrapped client stored and replays): the tool
// calls, their arguments (arriving in pieces) and the text must read as they do from the same response unstreamed.
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder } from '../../src/agents/index.js';
import { memoryCache } from '../../src/cache/index.js';
import type { Trajectory } from '../../src/core/trajectory.js';
import type { Model } from '../../src/core/types.js';
import { evaluate, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { type MockServer, scriptedAgent } from '../../src/testing/index.js';
import { check } from '../properties/_prop.js';
import { mockServers } from '../testing/_mockServers.js';
import { runTool, weatherScript } from './_agentLoops.js';
import { observed } from './_trajectories.js';

const sse = (events: readonly unknown[], named = false): string =>
  events
    .map((e) => {
      const type = (e as { type?: string }).type;
      return `${named && type !== undefined ? `event: ${type}\n` : ''}data: ${JSON.stringify(e)}\n\n`;
    })
    .join('');

/** The calls (name, arguments) and text of the one step a response makes. */
function read(api: string, response: unknown) {
  const r = new TrajectoryRecorder('full');
  r.observe(observed(api, { messages: [] }, response));
  const step = r.finish().steps[0]!;
  return { api: step.api, calls: step.toolCalls, text: step.text };
}

describe('TrajectoryRecorder: streamed responses (SSE text)', () => {
  it('OpenAI Chat chunks: parallel calls by index, arguments and text in pieces', () => {
    const chunk = (delta: unknown) => ({ object: 'chat.completion.chunk', choices: [{ index: 0, delta }] });
    const text = `${sse([
      chunk({ role: 'assistant', content: 'Check' }),
      chunk({ content: 'ing.' }),
      chunk({
        tool_calls: [
          { index: 0, id: 'a', type: 'function', function: { name: 'get_weather', arguments: '' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
      chunk({
        tool_calls: [
          { index: 1, id: 'b', type: 'function', function: { name: 'get_time', arguments: '{"tz"' } },
        ],
      }),
      chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Paris"}' } }] }),
      chunk({ tool_calls: [{ index: 1, function: { arguments: ':"CET"}' } }] }),
      { object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
    ])}data: [DONE]\n\n`;
    expect(read('openai.chat', text)).toEqual({
      api: 'openai.chat',
      calls: [
        { id: 'a', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'b', name: 'get_time', arguments: { tz: 'CET' } },
      ],
      text: 'Checking.',
    });
  });

  it('OpenAI Responses events: the completed response, or the items done when it never came', () => {
    const item = {
      type: 'function_call',
      id: 'fc_1',
      call_id: 'c1',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    };
    const events = [
      { type: 'response.created', response: { output: [] } },
      { type: 'response.output_item.added', output_index: 0, item: { ...item, arguments: '' } },
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: '{"city":' },
      { type: 'response.function_call_arguments.delta', output_index: 0, delta: '"Paris"}' },
      { type: 'response.output_item.done', output_index: 0, item },
    ];
    const want = {
      api: 'openai.responses',
      calls: [{ id: 'c1', name: 'get_weather', arguments: { city: 'Paris' } }],
    };
    const completed = { type: 'response.completed', response: { output: [item] } };
    expect(read('openai.responses', sse([...events, completed], true))).toMatchObject(want);
    expect(read('openai.responses', sse(events, true))).toMatchObject(want);
  });

  it('Anthropic events: text and tool_use blocks, input_json_delta in pieces', () => {
    const text = sse(
      [
        { type: 'message_start', message: { type: 'message', role: 'assistant', content: [] } },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Let me ' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'check.' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'content_block_start',
          index: 1,
          content_block: { type: 'tool_use', id: 'u1', name: 'get_weather', input: {} },
        },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '' } },
        {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' },
        },
        {
          type: 'content_block_delta',
          index: 1,
          delta: { type: 'input_json_delta', partial_json: 'ris", "days": [1, 2]}' },
        },
        { type: 'content_block_stop', index: 1 },
        {
          type: 'content_block_start',
          index: 2,
          content_block: { type: 'tool_use', id: 'u2', name: 'get_time', input: {} },
        },
        { type: 'content_block_stop', index: 2 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ],
      true,
    );
    expect(read('anthropic.messages', text)).toEqual({
      api: 'anthropic.messages',
      calls: [
        { id: 'u1', name: 'get_weather', arguments: { city: 'Paris', days: [1, 2] } },
        { id: 'u2', name: 'get_time', arguments: {} },
      ],
      text: 'Let me check.',
    });
  });

  it('properties: any split of the arguments and text into pieces reads as the unstreamed response', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
    );
    const callArb = fc.record({
      name: fc.constantFrom('search', 'get_weather', 'constructor'),
      args: fc.dictionary(
        fc.constantFrom('city', 'n', 'days', 'x y'),
        fc.oneof(value, fc.array(value, { maxLength: 3 })),
        { maxKeys: 3 },
      ),
    });
    /** `s` cut at the given points (sorted, deduplicated, within the string). */
    const pieces = (s: string, cuts: readonly number[]): string[] => {
      const at = [...new Set(cuts.map((c) => c % (s.length + 1)))].sort((a, b) => a - b);
      return [0, ...at].map((from, i) => s.slice(from, [...at, s.length][i])).filter((p) => p !== '');
    };
    check(
      'streamed = unstreamed',
      300,
      fc.property(
        fc.array(callArb, { maxLength: 4 }),
        fc.string({ maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (calls, text, cuts) => {
          const want = {
            calls: calls.map((c, i) => ({
              id: `id${i}`,
              name: c.name,
              arguments: JSON.parse(JSON.stringify(c.args)),
            })),
            text: text === '' ? undefined : text,
          };
          const chunk = (delta: unknown) => ({ choices: [{ index: 0, delta }] });
          const chat = sse([
            ...pieces(text, cuts).map((p) => chunk({ content: p })),
            ...calls.flatMap((c, i) => [
              chunk({
                tool_calls: [
                  { index: i, id: `id${i}`, type: 'function', function: { name: c.name, arguments: '' } },
                ],
              }),
              ...pieces(JSON.stringify(c.args), cuts).map((p) =>
                chunk({ tool_calls: [{ index: i, function: { arguments: p } }] }),
              ),
            ]),
          ]);
          expect(read('openai.chat', chat)).toEqual({ api: 'openai.chat', ...want });
          const anthropic = sse([
            { type: 'message_start', message: { content: [] } },
            ...(text === ''
              ? []
              : [{ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }]),
            ...pieces(text, cuts).map((p) => ({
              type: 'content_block_delta',
              index: 0,
              delta: { type: 'text_delta', text: p },
            })),
            ...calls.flatMap((c, i) => [
              {
                type: 'content_block_start',
                index: i + 1,
                content_block: { type: 'tool_use', id: `id${i}`, name: c.name, input: {} },
              },
              ...pieces(JSON.stringify(c.args), cuts).map((p) => ({
                type: 'content_block_delta',
                index: i + 1,
                delta: { type: 'input_json_delta', partial_json: p },
              })),
            ]),
          ]);
          expect(read('anthropic.messages', anthropic)).toEqual({ api: 'anthropic.messages', ...want });
        },
      ),
    );
  });

  it('a string that is no stream reads as nothing, as before', () => {
    expect(read('openai.chat', 'plain text')).toEqual({ api: 'openai.chat', calls: [], text: undefined });
  });
});

const start = mockServers();
const respond = scriptedAgent((task) =>
  task.startsWith('Weather in ') ? weatherScript(task.slice(11, -1)) : undefined,
);
const schema = { type: 'object', properties: { city: { type: 'string' } } } as const;

/** Streaming tool loops, written as a user writes them with each SDK's stream helper. */
const agents: [string, (s: MockServer) => Model][] = [
  [
    'openai chat (chat.completions.stream)',
    (s) => {
      const client = wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'test' }));
      return async (input) => {
        const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: String(input) }];
        const tools: OpenAI.Chat.ChatCompletionTool[] = ['get_weather', 'convert'].map((name) => ({
          type: 'function',
          function: { name, parameters: schema },
        }));
        for (let i = 0; i < 5; i++) {
          const res = await client.chat.completions
            .stream({ model: 'mock-model', messages, tools })
            .finalChatCompletion();
          const msg = res.choices[0]!.message;
          if (!msg.tool_calls?.length) return msg.content ?? '';
          messages.push(msg);
          for (const c of msg.tool_calls)
            if (c.type === 'function')
              messages.push({
                role: 'tool',
                tool_call_id: c.id,
                content: runTool(c.function.name, JSON.parse(c.function.arguments)),
              });
        }
        return '';
      };
    },
  ],
  [
    'openai responses (responses.stream)',
    (s) => {
      const client = wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'test' }));
      return async (input) => {
        const items: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: String(input) }];
        const tools: OpenAI.Responses.Tool[] = ['get_weather', 'convert'].map((name) => ({
          type: 'function',
          name,
          parameters: { ...schema },
          strict: false,
        }));
        for (let i = 0; i < 5; i++) {
          const res = await client.responses
            .stream({ model: 'mock-model', input: items, tools })
            .finalResponse();
          const calls = res.output.filter((o) => o.type === 'function_call');
          if (calls.length === 0) return res.output_text;
          for (const c of calls) {
            items.push({ type: 'function_call', call_id: c.call_id, name: c.name, arguments: c.arguments });
            items.push({
              type: 'function_call_output',
              call_id: c.call_id,
              output: runTool(c.name, JSON.parse(c.arguments)),
            });
          }
        }
        return '';
      };
    },
  ],
  [
    'anthropic (messages.stream)',
    (s) => {
      const client = wrapAnthropic(new Anthropic({ baseURL: s.origin, apiKey: 'test' }));
      return async (input) => {
        const messages: Anthropic.MessageParam[] = [{ role: 'user', content: String(input) }];
        const tools: Anthropic.Tool[] = ['get_weather', 'convert'].map((name) => ({
          name,
          input_schema: schema as unknown as Anthropic.Tool.InputSchema,
        }));
        for (let i = 0; i < 5; i++) {
          const res = await client.messages
            .stream({ model: 'mock-model', max_tokens: 256, messages, tools })
            .finalMessage();
          const uses = res.content.filter((b) => b.type === 'tool_use');
          if (uses.length === 0) return res.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
          messages.push({ role: 'assistant', content: res.content });
          messages.push({
            role: 'user',
            content: uses.map((u) => ({
              type: 'tool_result' as const,
              tool_use_id: u.id,
              content: runTool(u.name, u.input as Record<string, unknown>),
            })),
          });
        }
        return '';
      };
    },
  ],
];

const shape = (t: Trajectory | undefined) =>
  t?.steps.map((s) => ({
    calls: s.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
    results: s.toolResults.map((r) => ({ name: r.name, content: r.content, isError: r.isError })),
    text: s.text,
  }));

describe('streamed tool loops through the wrapped clients', () => {
  it.each(agents)('%s: the trajectory of the unstreamed loop, live and replayed', async (_name, make) => {
    const server = await start({ respond });
    const cache = memoryCache();
    const model = make(server);
    const want = [
      {
        calls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
        results: [{ name: 'get_weather', content: '{"city":"Paris","celsius":18}', isError: false }],
        text: undefined,
      },
      {
        calls: [{ name: 'convert', arguments: { celsius: 18, to: 'F' } }],
        results: [{ name: 'convert', content: '64', isError: false }],
        text: undefined,
      },
      { calls: [], results: [], text: 'Paris: 64F' },
    ];
    const live = await evaluate([{ input: 'Weather in Paris?' }], model, [], {
      trajectory: true,
      cache,
      progress: false,
    });
    expect(live.examples[0]!.output).toBe('Paris: 64F');
    expect(shape(live.examples[0]!.trajectory)).toEqual(want);
    const replay = await evaluate([{ input: 'Weather in Paris?' }], model, [], {
      trajectory: true,
      cache,
      progress: false,
    });
    expect(replay.totals.requests).toBe(0);
    expect(shape(replay.examples[0]!.trajectory)).toEqual(want);
  });
});
