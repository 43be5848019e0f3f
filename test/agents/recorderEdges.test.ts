// The recorder on inputs the happy path does not reach: call ids a server reuses across turns, argument keys
// named like Object.prototype's properties.
import { describe, expect, it } from 'vitest';
import { TrajectoryRecorder, toolErrorRecoveryScore, trajectoryFromModel } from '../../src/agents/index.js';
import { observed } from './_trajectories.js';

const call = (request: unknown, response: unknown) => observed('openai.chat', request, response);
const toolCall = (id: string, name: string, args: string) => ({
  choices: [
    {
      message: {
        role: 'assistant',
        content: null,
        tool_calls: [{ id, type: 'function', function: { name, arguments: args } }],
      },
    },
  ],
});
const answer = (text: string) => ({ choices: [{ message: { role: 'assistant', content: text } }] });

describe('TrajectoryRecorder: call ids reused across turns', () => {
  it('gives each call the result carried back after it, not an earlier turn’s with the same id', () => {
    // A server that numbers the calls of each response (call_0, call_1, …): turn 1's call fails, turn 2 retries
    // under the same id and succeeds, and every request carries the whole conversation.
    const m1 = [{ role: 'user', content: 'weather in Paris?' }];
    const m2 = [
      ...m1,
      { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function' }] },
      { role: 'tool', tool_call_id: 'call_0', content: 'Error: timeout' },
    ];
    const m3 = [
      ...m2,
      { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function' }] },
      { role: 'tool', tool_call_id: 'call_0', content: 'sunny, 18C' },
    ];
    const r = new TrajectoryRecorder('full');
    r.observe(call({ messages: m1 }, toolCall('call_0', 'get_weather', '{"city":"Paris"}')));
    r.observe(call({ messages: m2 }, toolCall('call_0', 'get_weather', '{"city":"Paris"}')));
    r.observe(call({ messages: m3 }, answer('Sunny, 18C.')));
    const t = r.finish();
    expect(t.steps.map((s) => s.toolResults.map((x) => x.content))).toEqual([
      ['Error: timeout'],
      ['sunny, 18C'],
      [],
    ]);
    expect(toolErrorRecoveryScore(t)).toEqual({ errors: 1, recovered: 1, score: 1 });
  });
});

describe('TrajectoryRecorder: argument keys named like Object.prototype properties', () => {
  it('keeps a `__proto__` argument as an own key, as JSON.parse reads it', () => {
    const text = '{"__proto__": {"city": "Paris"}, "constructor": "x", "units": ["C"]}';
    const r = new TrajectoryRecorder('tool-calls');
    r.observe(call({ messages: [] }, toolCall('c1', 'get_weather', text)));
    const args = r.finish().steps[0]!.toolCalls[0]!.arguments as Record<string, unknown>;
    expect(Object.keys(args)).toEqual(['__proto__', 'constructor', 'units']);
    expect(Object.getPrototypeOf(args)).toBe(Object.prototype);
    expect(args).toStrictEqual(JSON.parse(text));
  });
});

describe('TrajectoryRecorder: credentials a tool or the model echoes', () => {
  const KEY = 'sk-proj-abcdefghijklmnop0123';
  const leaks = (t: unknown) => JSON.stringify(t).includes('abcdefghijklmnop0123');

  it('a tool result, the text and a string argument that quote a key-shaped credential keep it hidden', () => {
    const r = new TrajectoryRecorder('full');
    r.observe(
      call({ messages: [] }, toolCall('c1', 'fetch_url', JSON.stringify({ header: `Bearer ${KEY}` }))),
    );
    r.observe(
      call(
        {
          messages: [
            { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function' }] },
            { role: 'tool', tool_call_id: 'c1', content: `Error: 401 Incorrect API key provided: ${KEY}` },
          ],
        },
        answer(`The tool was sent ${KEY} and refused it.`),
      ),
    );
    const t = r.finish();
    expect(t.steps[0]!.toolResults[0]).toMatchObject({
      content: 'Error: 401 Incorrect API key provided: ***',
      isError: true,
    });
    expect(t.steps[1]!.text).toBe('The tool was sent *** and refused it.');
    expect(t.steps[0]!.toolCalls[0]!.arguments).toEqual({ header: 'Bearer ***' });
    expect(leaks(t)).toBe(false);
  });

  it("the same in a model's own trajectory", () => {
    const t = trajectoryFromModel(
      {
        steps: [
          {
            toolCalls: [{ name: 'fetch_url', arguments: { url: `https://x.test/?api_key=${KEY}` } }],
            toolResults: [{ content: { error: `invalid key ${KEY}` } }],
          },
          { text: `Done with ${KEY}.` },
        ],
      },
      'full',
    );
    expect(leaks(t)).toBe(false);
    expect(t.steps[0]!.toolResults[0]!.isError).toBe(true);
  });
});
