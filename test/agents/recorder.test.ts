import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder, trajectoryFromModel } from '../../src/agents/index.js';
import type { ObservedCall } from '../../src/core/trajectory.js';

const base = { kind: 'model', latencyMs: 1, cached: false } as const;
const call = (request: unknown, response: unknown, extra: Partial<ObservedCall> = {}): ObservedCall => ({
  ...base,
  request,
  response,
  ...extra,
});

describe('TrajectoryRecorder: the body parsers', () => {
  it('OpenAI Chat: tool_calls asked for, tool messages carried back, names from the call', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      call(
        { model: 'm', messages: [{ role: 'user', content: 'q' }] },
        {
          choices: [
            {
              message: {
                content: null,
                tool_calls: [{ id: 'a', type: 'function', function: { name: 'f', arguments: '{"x":1}' } }],
              },
            },
          ],
        },
        { usage: { inputTokens: 5, outputTokens: 2 }, model: 'm' },
      ),
    );
    r.observe(
      call(
        {
          messages: [
            { role: 'user', content: 'q' },
            { role: 'tool', tool_call_id: 'a', content: [{ type: 'text', text: '{"error":"no"}' }] },
          ],
        },
        { choices: [{ message: { content: 'done' } }] },
      ),
    );
    const t = r.finish();
    expect(t.steps[0]).toEqual({
      kind: 'model',
      api: 'openai.chat',
      model: 'm',
      toolCalls: [{ id: 'a', name: 'f', arguments: { x: 1 } }],
      toolResults: [{ id: 'a', name: 'f', content: '{"error":"no"}', isError: true }],
      usage: { inputTokens: 5, outputTokens: 2 },
      latencyMs: 1,
      cached: false,
    });
    expect(t.steps[1]).toMatchObject({ api: 'openai.chat', text: 'done', toolCalls: [], toolResults: [] });
  });

  it('OpenAI Responses, Anthropic Messages, AI SDK results and recorded streams', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      call(
        { input: 'q' },
        { output: [{ type: 'function_call', call_id: 'r1', name: 'f', arguments: 'not json' }] },
        { api: 'openai.responses' },
      ),
    );
    r.observe(
      call(
        { input: [{ type: 'function_call_output', call_id: 'r1', output: 'fine' }] },
        { output: [{ type: 'message', content: [{ type: 'output_text', text: 'ok' }] }] },
      ),
    );
    r.observe(
      call(
        { messages: [] },
        {
          type: 'message',
          role: 'assistant',
          content: [{ type: 'tool_use', id: 'u1', name: 'g', input: { y: [1] } }],
        },
      ),
    );
    r.observe(
      call(
        {
          messages: [
            {
              role: 'user',
              content: [{ type: 'tool_result', tool_use_id: 'u1', content: 'boom', is_error: true }],
            },
          ],
        },
        { content: [{ type: 'text', text: 'sorry' }], role: 'assistant', type: 'message' },
      ),
    );
    r.observe(
      call(
        { params: { prompt: [] } },
        { content: [{ type: 'tool-call', toolCallId: 's1', toolName: 'h', input: '{}' }] },
        { api: 'ai-sdk' },
      ),
    );
    r.observe(
      call(
        {
          params: {
            prompt: [
              {
                role: 'tool',
                content: [
                  {
                    type: 'tool-result',
                    toolCallId: 's1',
                    toolName: 'h',
                    output: { type: 'error-text', value: 'denied' },
                  },
                ],
              },
            ],
          },
        },
        {
          parts: [{ type: 'text-delta', delta: 'a' }, { type: 'text-delta', delta: 'b' }, { type: 'finish' }],
        },
        { api: 'ai-sdk' },
      ),
    );
    const t = r.finish();
    expect(t.steps.map((s) => s.api)).toEqual([
      'openai.responses',
      'openai.responses',
      'anthropic.messages',
      'anthropic.messages',
      'ai-sdk',
      'ai-sdk',
    ]);
    expect(t.steps[0]!.toolCalls[0]!.arguments).toBe('not json');
    expect(t.steps[0]!.toolResults).toEqual([{ id: 'r1', name: 'f', content: 'fine', isError: false }]);
    expect(t.steps[1]!.text).toBe('ok');
    expect(t.steps[2]!.toolResults).toEqual([{ id: 'u1', name: 'g', content: 'boom', isError: true }]);
    expect(t.steps[4]!.toolResults).toEqual([{ id: 's1', name: 'h', content: 'denied', isError: true }]);
    expect(t.steps[5]!.text).toBe('ab');
  });

  it('failed calls and unreadable bodies are steps too; tool-calls form keeps model calls only', () => {
    const r = new TrajectoryRecorder('tool-calls');
    r.observe(call(undefined, { some: 'stream' }));
    r.observe(call({ messages: [] }, undefined, { error: new Error('HTTP 500') }));
    r.observe(call({ input: 'x' }, { data: [] }, { kind: 'embedding', api: 'openai.embeddings' }));
    const t = r.finish();
    expect(t.steps).toHaveLength(2);
    expect(t.steps[0]!.api).toBe('other');
    expect(t.steps[1]).toMatchObject({ api: 'openai.chat', error: 'HTTP 500' });
    expect(new TrajectoryRecorder('full').finish()).toEqual({
      steps: [],
      source: 'calls',
      form: 'full',
      truncated: false,
    });
  });

  it('properties: bounded whatever the calls (steps, every string), truncated exactly when something was cut', () => {
    const max = 40;
    const str = fc.string({ maxLength: 90 });
    const observed = fc.array(fc.record({ args: str, result: str, text: str }), { maxLength: 12 });
    fc.assert(
      fc.property(observed, (calls) => {
        const r = new TrajectoryRecorder('full', { maxSteps: 5, maxContentChars: max });
        calls.forEach((c, i) => {
          const messages =
            i === 0 ? [] : [{ role: 'tool', tool_call_id: `c${i - 1}`, content: calls[i - 1]!.result }];
          r.observe(
            call(
              { messages },
              {
                choices: [
                  {
                    message: {
                      content: c.text,
                      tool_calls: [
                        { id: `c${i}`, function: { name: 'f', arguments: JSON.stringify({ a: c.args }) } },
                      ],
                    },
                  },
                ],
              },
            ),
          );
        });
        const t = r.finish();
        expect(t.steps.length).toBe(Math.min(5, calls.length));
        expect(t.droppedSteps ?? 0).toBe(Math.max(0, calls.length - 5));
        const strings: string[] = [];
        const walk = (v: unknown): void => {
          if (typeof v === 'string') strings.push(v);
          else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
        };
        walk(t.steps);
        for (const s of strings) expect(s.length <= max || /…\[truncated \d+ chars\]$/.test(s)).toBe(true);
        const cut = calls.some(
          (c, i) =>
            c.args.length > max || c.text.length > max || (i < calls.length - 1 && c.result.length > max),
        );
        expect(t.truncated).toBe(cut || calls.length > 5);
        // Results are matched to their calls: step i carries call i's result when a later request sent it.
        t.steps.forEach((s, i) => {
          if (i < calls.length - 1) expect(s.toolResults[0]!.id).toBe(`c${i}`);
          else expect(s.toolResults).toEqual([]);
        });
      }),
      { seed: 23, numRuns: 300 },
    );
  });
});

describe('trajectoryFromModel', () => {
  it('fills in what the model left out and refuses what it cannot read', () => {
    const t = trajectoryFromModel(
      {
        steps: [
          {
            toolCalls: [{ name: 'a' }, { name: 'b', id: 'x' }],
            toolResults: [{ content: 1 }, { id: 'x', content: 'error: no' }],
          },
        ],
      },
      'full',
    );
    expect(t.steps[0]).toEqual({
      kind: 'model',
      api: 'other',
      toolCalls: [
        { id: 'step0_0', name: 'a', arguments: {} },
        { id: 'x', name: 'b', arguments: {} },
      ],
      toolResults: [
        { id: 'step0_0', name: 'a', content: '1', isError: false },
        { id: 'x', name: 'b', content: 'error: no', isError: true },
      ],
      latencyMs: 0,
      cached: false,
    });
    expect(() => trajectoryFromModel({ steps: [{ toolCalls: [{}] }] } as never, 'full')).toThrow(
      "Expected the model's `trajectory.steps[0].toolCalls[0].name` to be a string",
    );
    expect(() => trajectoryFromModel([] as never, 'full')).toThrow(
      "Expected the model's `trajectory` to be { steps: [...] }",
    );
    expect(() => new TrajectoryRecorder('full', { maxSteps: 0 })).toThrow(
      'Expected `maxSteps` to be an integer >= 1, got `0`',
    );
  });
});
