/**
 * Done-when of issue 23: compare() finds a regression in tool_arguments between two agent versions on a
 * 200-example scripted set, and not in the metrics the regression leaves alone.
 */
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { toolArguments, toolOrder, toolSelection } from '../../src/agents/index.js';
import type { Example, Model } from '../../src/core/types.js';
import { compare, evaluate, wrapOpenAI } from '../../src/index.js';
import { type MockAgentScript, scriptedAgent } from '../../src/testing/index.js';
import { mockServers } from '../testing/_mockServers.js';
import { openaiChatAgent, TEMPERATURES } from './_agentLoops.js';

const start = mockServers();
const CITIES = Object.keys(TEMPERATURES);
const N = 200;

const dataset: Example[] = Array.from({ length: N }, (_, i) => {
  const city = CITIES[i % CITIES.length]!;
  return {
    id: `task-${i}`,
    input: `Weather in ${city} #${i}?`,
    reference: {
      toolCalls: [
        { name: 'get_weather', arguments: { city } },
        { name: 'convert', arguments: { celsius: TEMPERATURES[city], to: 'F' } },
      ],
    },
  };
});

/** v1 converts to F every time; v2 asks for C on 3 tasks in 10 (same tools, same order, wrong argument). */
function script(version: string, task: string): MockAgentScript | undefined {
  const m = /^Weather in (\w+) #(\d+)\?$/.exec(task);
  if (m === null) return undefined;
  const city = m[1]!;
  const i = Number(m[2]);
  const to = version === 'agent-v2' && i % 10 < 3 ? 'C' : 'F';
  return {
    steps: [
      { toolCalls: [{ name: 'get_weather', arguments: { city } }] },
      { toolCalls: [{ name: 'convert', arguments: { celsius: TEMPERATURES[city], to } }] },
    ],
    final: (s) => `${city}: ${s.lastResults[0]?.content}`,
  };
}

describe('compare() on two agent versions', () => {
  it('finds the tool_arguments regression of v2 on 200 scripted tasks, and none in selection or order', async () => {
    const server = await start({ respond: scriptedAgent((task, req) => script(req.model, task)) });
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const agent =
      (version: string): Model =>
      async (input) =>
        openaiChatAgent(client, String(input), version);
    const metrics = () => [toolSelection(), toolOrder(), toolArguments()];
    const options = { trajectory: 'tool-calls' as const, concurrency: 16, progress: false };
    const v1 = await evaluate(dataset, agent('agent-v1'), metrics(), options);
    const v2 = await evaluate(dataset, agent('agent-v2'), metrics(), options);
    expect(v1.nFailed + v2.nFailed).toBe(0);
    expect(v1.metrics.tool_arguments!.mean).toBe(1);
    // 60 of 200 tasks match one expected call of two: 1 - 60 · 0.5 / 200.
    expect(v2.metrics.tool_arguments!.mean).toBe(0.85);
    const c = compare(v1, v2);
    const args = c.metrics.tool_arguments!;
    expect(args.n).toBe(N);
    expect(args.difference).toBeCloseTo(-0.15, 12);
    expect(args.significant).toBe(true);
    expect(args.ci.high).toBeLessThan(0);
    expect(args.pValue).toBeLessThan(1e-6);
    for (const m of ['tool_selection', 'tool_order']) {
      expect(c.metrics[m]!.difference).toBe(0);
      expect(c.metrics[m]!.significant).toBe(false);
    }
    expect(server.stats.requests).toBe(2 * 3 * N);
  });
});
