// OpenAI custom (free-form) tools: Chat Completions `tool_calls` of `type: 'custom'` and Responses
// `custom_tool_call` items, with their results carried back. The recorder keeps their names and raw text input.
import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder } from '../../src/agents/index.js';
import { observed } from './_trajectories.js';

describe('custom tool calls', () => {
  it('Chat Completions: a `custom` tool call keeps its name and its text input, and gets its result', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      observed(
        'openai.chat',
        { messages: [{ role: 'user', content: 'run it' }] },
        {
          choices: [
            {
              message: {
                content: null,
                tool_calls: [{ id: 'c1', type: 'custom', custom: { name: 'run_sql', input: 'SELECT 1' } }],
              },
            },
          ],
        },
      ),
    );
    r.observe(
      observed(
        'openai.chat',
        {
          messages: [
            { role: 'user', content: 'run it' },
            { role: 'tool', tool_call_id: 'c1', content: '1 row' },
          ],
        },
        { choices: [{ message: { content: 'done' } }] },
      ),
    );
    const step = r.finish().steps[0]!;
    expect(step.toolCalls).toEqual([{ id: 'c1', name: 'run_sql', arguments: 'SELECT 1' }]);
    expect(step.toolResults).toEqual([{ id: 'c1', name: 'run_sql', content: '1 row', isError: false }]);
  });

  it('Responses: a `custom_tool_call` item is a tool call, and `custom_tool_call_output` its result', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      observed(
        'openai.responses',
        { input: 'run it' },
        {
          output: [
            { type: 'custom_tool_call', id: 'ctc_1', call_id: 'call_9', name: 'run_sql', input: '42' },
          ],
        },
      ),
    );
    r.observe(
      observed(
        'openai.responses',
        { input: [{ type: 'custom_tool_call_output', call_id: 'call_9', output: 'Error: no such table' }] },
        { output: [{ type: 'message', content: [{ type: 'output_text', text: 'failed' }] }] },
      ),
    );
    const step = r.finish().steps[0]!;
    expect(step.toolCalls).toEqual([{ id: 'call_9', name: 'run_sql', arguments: '42' }]);
    expect(step.toolResults).toEqual([
      { id: 'call_9', name: 'run_sql', content: 'Error: no such table', isError: true },
    ]);
  });
});

describe('remote MCP tool calls (Responses `mcp_call` items)', () => {
  it('are tool calls, with the result or the error the same response carries', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      observed(
        'openai.responses',
        { input: 'weather in Paris?' },
        {
          output: [
            { type: 'mcp_list_tools', id: 'mcpl_1', server_label: 'wx', tools: [] },
            {
              type: 'mcp_call',
              id: 'mcp_1',
              server_label: 'wx',
              name: 'get_weather',
              arguments: '{"city":"Paris"}',
              output: null,
              error: { type: 'http_error', code: 502, message: 'Bad gateway' },
            },
            {
              type: 'mcp_call',
              id: 'mcp_2',
              server_label: 'wx',
              name: 'get_weather',
              arguments: '{"city":"Paris"}',
              output: '18C',
              error: null,
            },
            { type: 'message', content: [{ type: 'output_text', text: 'It is 18C.' }] },
          ],
        },
      ),
    );
    const step = r.finish().steps[0]!;
    expect(step.toolCalls).toEqual([
      { id: 'mcp_1', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'mcp_2', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    expect(step.toolResults).toEqual([
      { id: 'mcp_1', name: 'get_weather', content: 'Bad gateway', isError: true },
      { id: 'mcp_2', name: 'get_weather', content: '18C', isError: false },
    ]);
  });
});
