import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { GOAL_COMPLETION_RUBRIC, goalCompletion, renderTrajectory } from '../../src/agents/index.js';
import type { Model } from '../../src/core/types.js';
import { evaluate, wrapOpenAI } from '../../src/index.js';
import type { MockRequest } from '../../src/testing/index.js';
import { mockServers } from '../testing/_mockServers.js';
import { trajectoryOf } from './_trajectories.js';

const start = mockServers();

const agent: Model = async (input) => {
  const ok = input === 'Weather in Paris, in F?';
  return {
    output: ok ? 'It is 64F in Paris.' : 'It is 90F in Paris.',
    trajectory: {
      steps: [
        {
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
          toolResults: [{ content: '{"celsius":18}' }],
        },
        ...(ok
          ? [
              {
                toolCalls: [{ name: 'convert', arguments: { celsius: 18, to: 'F' } }],
                toolResults: [{ content: '64' }],
              },
            ]
          : []),
        { text: 'done' },
      ],
    },
  };
};

/** A judge that passes an answer when its number appears among the tool results it was shown. */
function judge(seen: MockRequest[]) {
  return (req: MockRequest) => {
    seen.push(req);
    const text = req.lastUserMessage;
    const answer = /<final_answer>\n(.*)\n<\/final_answer>/s.exec(text)?.[1] ?? '';
    const number = /(\d+)F/.exec(answer)?.[1];
    const shown = /<trajectory>\n([\s\S]*)\n<\/trajectory>/.exec(text)?.[1] ?? '';
    const score = number !== undefined && shown.includes(`-> ${number}`) ? 1 : 0;
    return JSON.stringify({ reason: `answer ${answer}`, score });
  };
}

describe('goalCompletion', () => {
  it('renderTrajectory: the worked example of its TSDoc', () => {
    const t = trajectoryOf([
      { calls: [['get_weather', { city: 'Paris' }, '{"celsius":18}']] },
      { calls: [['convert', { celsius: 18, to: 'F' }, '64']] },
      {},
    ]);
    expect(renderTrajectory(t)).toBe(
      '1. get_weather({"city":"Paris"}) -> {"celsius":18}\n2. convert({"celsius":18,"to":"F"}) -> 64',
    );
    expect(renderTrajectory(trajectoryOf([{ calls: [['x', {}, `!${'e'.repeat(50)}`]] }]), 20)).toBe(
      `1. x({}) -> ERROR ${'e'.repeat(20)}…[truncated 30 chars]`,
    );
  });

  it('a judge through the judge API reads the task, the trajectory and the answer; binary, cached like any judge', async () => {
    const seen: MockRequest[] = [];
    const server = await start({ respond: judge(seen) });
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const metric = goalCompletion({ judge: { model: 'judge-model', client } });
    expect(metric).toMatchObject({
      name: 'goal_completion',
      kind: 'binary',
      bounds: [0, 1],
      judgeModel: 'judge-model',
    });
    const dataset = [
      { id: 'good', input: 'Weather in Paris, in F?', reference: { answer: 'It is 64F in Paris.' } },
      { id: 'bad', input: 'Weather in Paris, in F!' },
    ];
    const r = await evaluate(dataset, agent, [metric], { trajectory: true, progress: false });
    expect(r.examples.map((e) => e.scores.goal_completion)).toEqual([1, 0]);
    expect(r.metrics.goal_completion!.mean).toBe(0.5);
    expect(seen).toHaveLength(2);
    const first = seen.find((q) => q.lastUserMessage.includes('64F'))!;
    expect(first.systemMessage).toContain(GOAL_COMPLETION_RUBRIC.split('\n')[0]);
    expect(first.systemMessage).toContain('integer score from 0 (worst) to 1 (best)');
    expect(first.lastUserMessage).toBe(
      [
        '<task>\nWeather in Paris, in F?\n</task>',
        '<expected_answer>\nIt is 64F in Paris.\n</expected_answer>',
        '<trajectory>\n1. get_weather({"city":"Paris"}) -> {"celsius":18}\n2. convert({"celsius":18,"to":"F"}) -> 64\n</trajectory>',
        '<final_answer>\nIt is 64F in Paris.\n</final_answer>',
      ].join('\n\n'),
    );
    expect(r.examples[0]!.details?.goal_completion).toEqual({ reason: 'answer It is 64F in Paris.' });
    // The judge calls are judge calls: not part of the agent's trajectory.
    expect(r.examples[0]!.trajectory!.steps.every((s) => s.kind === 'model')).toBe(true);
  });

  it.each([
    [
      undefined,
      'Expected `options.judge` to be judge options ({ model, client? }), got `undefined` (undefined)',
    ],
    [
      { judge: { model: 'm' }, maxContentChars: 5 },
      'Expected `maxContentChars` to be an integer >= 20, got `5` (number)',
    ],
    [{ judge: { model: '' } }, 'Expected `model` to be a non-empty string'],
  ])('refuses bad options (%#)', (options, message) => {
    expect(() => goalCompletion(options as never)).toThrow(message);
  });
});
