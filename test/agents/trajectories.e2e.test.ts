/**
 * Done-when of issue 23: an OpenAI tool loop (Chat and Responses), an Anthropic tool loop and an AI SDK tool loop
 * against the mock each produce the same trajectory shape, recorded without changes to the agent's code; a rerun
 * replays them from the cache with 0 requests and identical trajectories; they survive save / load.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, describe, expect, it } from 'vitest';
import {
  toolArguments,
  toolErrorRecovery,
  toolOrder,
  toolSelection,
  trajectoryEfficiency,
} from '../../src/agents/index.js';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache, sqliteCache } from '../../src/cache/index.js';
import type { Trajectory } from '../../src/core/trajectory.js';
import type { Example, Model } from '../../src/core/types.js';
import { evaluate, loadResult, saveResult, wrapAnthropic, wrapOpenAI } from '../../src/index.js';
import { type MockServer, scriptedAgent } from '../../src/testing/index.js';
import { mockServers } from '../testing/_mockServers.js';
import {
  aiSdkAgent,
  anthropicAgent,
  openaiChatAgent,
  openaiResponsesAgent,
  weatherScript,
} from './_agentLoops.js';

const start = mockServers();
const dir = mkdtempSync(join(tmpdir(), 'evalgate-agents-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CITIES = ['Paris', 'Oslo', 'Lima'];
const dataset: Example[] = CITIES.map((city) => ({
  id: city,
  input: `Weather in ${city}?`,
  reference: {
    toolCalls: [
      { name: 'get_weather', arguments: { city } },
      { name: 'convert', arguments: { celsius: { $any: true }, to: 'F' } },
    ],
    steps: 3,
  },
}));
const respond = scriptedAgent((task) =>
  task.startsWith('Weather in ') ? weatherScript(task.slice(11, -1)) : undefined,
);

type Agent = (server: MockServer) => Model;
const agents: [string, Agent][] = [
  [
    'openai chat',
    (s) => {
      const client = wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'test' }));
      return async (input) => openaiChatAgent(client, String(input));
    },
  ],
  [
    'openai responses',
    (s) => {
      const client = wrapOpenAI(new OpenAI({ baseURL: s.url, apiKey: 'test' }));
      return async (input) => openaiResponsesAgent(client, String(input));
    },
  ],
  [
    'anthropic',
    (s) => {
      const client = wrapAnthropic(new Anthropic({ baseURL: s.origin, apiKey: 'test' }));
      return async (input) => anthropicAgent(client, String(input));
    },
  ],
  [
    'ai-sdk (responses)',
    (s) => {
      const model = wrapAISDKModel(createOpenAI({ baseURL: s.url, apiKey: 'test' })('mock-model'));
      return async (input) => aiSdkAgent(model, String(input));
    },
  ],
  [
    'ai-sdk (chat)',
    (s) => {
      const model = wrapAISDKModel(createOpenAI({ baseURL: s.url, apiKey: 'test' }).chat('mock-model'));
      return async (input) => aiSdkAgent(model, String(input));
    },
  ],
];

/** What must be the same whatever the SDK: per step, the tool calls (name, arguments) and results. */
function shape(t: Trajectory | undefined) {
  return t?.steps.map((s) => ({
    kind: s.kind,
    calls: s.toolCalls.map((c) => ({ name: c.name, arguments: c.arguments })),
    results: s.toolResults.map((r) => ({ name: r.name, content: r.content, isError: r.isError })),
    hasUsage: s.usage !== undefined,
  }));
}
const expectedShape = (city: string, celsius: number, f: number) => [
  {
    kind: 'model',
    calls: [{ name: 'get_weather', arguments: { city } }],
    results: [{ name: 'get_weather', content: JSON.stringify({ city, celsius }), isError: false }],
    hasUsage: true,
  },
  {
    kind: 'model',
    calls: [{ name: 'convert', arguments: { celsius, to: 'F' } }],
    results: [{ name: 'convert', content: String(f), isError: false }],
    hasUsage: true,
  },
  { kind: 'model', calls: [], results: [], hasUsage: true },
];
const metrics = () => [
  toolSelection(),
  toolOrder(),
  toolArguments(),
  trajectoryEfficiency(),
  toolErrorRecovery(),
];
/** The trajectory without what describes this run rather than the agent: latency and the cache flag. */
const replayable = (t: Trajectory | undefined) =>
  t === undefined
    ? undefined
    : { ...t, steps: t.steps.map(({ latencyMs: _l, cached: _c, ...rest }) => rest) };

describe('trajectories recorded from the wrapped clients', () => {
  it.each(agents)(
    '%s: the same trajectory shape, cached replay with 0 requests, save / load',
    async (name, make) => {
      const server = await start({ respond });
      const cache = sqliteCache(join(dir, `${name.replace(/\W+/g, '-')}.sqlite`));
      const model = make(server);
      const first = await evaluate(dataset, model, metrics(), { trajectory: true, cache, progress: false });
      expect(first.nFailed).toBe(0);
      expect(first.examples.map((e) => e.output)).toEqual(['Paris: 64F', 'Oslo: 39F', 'Lima: 72F']);
      for (const [i, e] of first.examples.entries()) {
        const city = CITIES[i]!;
        const celsius = { Paris: 18, Oslo: 4, Lima: 22 }[city]!;
        expect(shape(e.trajectory)).toEqual(expectedShape(city, celsius, Math.round(celsius * 1.8 + 32)));
        const t = e.trajectory!;
        expect(t).toMatchObject({ source: 'calls', form: 'full', truncated: false });
        expect(t.steps.every((s) => s.cached === false && s.latencyMs >= 0 && s.model !== undefined)).toBe(
          true,
        );
        // The ids the response gave are the ids the results answer.
        expect(t.steps[0]!.toolResults[0]!.id).toBe(t.steps[0]!.toolCalls[0]!.id);
        expect(t.steps[2]!.text).toBe(e.output);
      }
      for (const m of ['tool_selection', 'tool_order', 'tool_arguments', 'trajectory_efficiency'])
        expect(first.metrics[m]!.mean).toBe(1);
      expect(first.metrics.tool_error_recovery!.nMissing).toBe(3);
      const requests = server.stats.requests;
      expect(requests).toBe(9);

      const second = await evaluate(dataset, model, metrics(), { trajectory: true, cache, progress: false });
      expect(second.totals.requests).toBe(0);
      expect(server.stats.requests).toBe(requests);
      expect(second.examples.map((e) => replayable(e.trajectory))).toEqual(
        first.examples.map((e) => replayable(e.trajectory)),
      );
      expect(second.examples.every((e) => e.trajectory!.steps.every((s) => s.cached))).toBe(true);

      const file = join(dir, `${name.replace(/\W+/g, '-')}.json`);
      await saveResult(first, file);
      const loaded = await loadResult(file);
      expect(loaded.examples.map((e) => e.trajectory)).toEqual(first.examples.map((e) => e.trajectory));
      await cache.close?.();
    },
  );

  it("'tool-calls' keeps model calls without text; no option records nothing", async () => {
    const server = await start({ respond });
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const model: Model = async (input) => openaiChatAgent(client, String(input));
    const compact = await evaluate(dataset.slice(0, 1), model, [toolSelection()], {
      trajectory: 'tool-calls',
      progress: false,
    });
    const t = compact.examples[0]!.trajectory!;
    expect(t.form).toBe('tool-calls');
    expect(t.steps.map((s) => s.toolCalls.map((c) => c.name))).toEqual([['get_weather'], ['convert'], []]);
    expect(t.steps.some((s) => s.text !== undefined)).toBe(false);
    const none = await evaluate(dataset.slice(0, 1), model, [toolSelection()], { progress: false });
    expect(none.examples[0]!.trajectory).toBeUndefined();
    expect(none.metrics.tool_selection!.nMissing).toBe(1);
  });

  it('long contents are cut and said so', async () => {
    const long = 'x'.repeat(5000);
    const server = await start({
      respond: scriptedAgent({
        long: { steps: [{ toolCalls: [{ name: 'get_weather', arguments: { city: long } }] }] },
      }),
    });
    const client = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'test' }));
    const model: Model = async (input) => openaiChatAgent(client, String(input));
    const r = await evaluate([{ input: 'long' }], model, [], { trajectory: true, progress: false });
    const t = r.examples[0]!.trajectory!;
    expect(t.truncated).toBe(true);
    const city = (t.steps[0]!.toolCalls[0]!.arguments as { city: string }).city;
    expect(city).toBe(`${'x'.repeat(2000)}…[truncated 3000 chars]`);
    // Every string of the trajectory is bounded, whatever holds it (argument, result, text).
    const strings: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') strings.push(v);
      else if (v !== null && typeof v === 'object') for (const x of Object.values(v)) walk(x);
    };
    walk(t);
    expect(Math.max(...strings.map((x) => x.length))).toBeLessThanOrEqual(
      2000 + '…[truncated 3000 chars]'.length + 20,
    );
  });

  it('a model may return { output, trajectory } itself; metrics read it', async () => {
    const model: Model = async () => ({
      output: 'done',
      trajectory: {
        steps: [
          {
            toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
            toolResults: [{ content: 'Error: down' }],
          },
          {
            toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
            toolResults: [{ content: { celsius: 18 } }],
          },
          {
            toolCalls: [{ name: 'convert', arguments: { celsius: 18, to: 'F' } }],
            toolResults: [{ content: '64' }],
          },
          { text: 'done' },
        ],
      },
    });
    const r = await evaluate(dataset.slice(0, 1), model, metrics(), {
      trajectory: true,
      cache: memoryCache(),
      progress: false,
    });
    const t = r.examples[0]!.trajectory!;
    expect(t.source).toBe('model');
    expect(t.steps[0]!.toolResults[0]).toEqual({
      id: 'step0_0',
      name: 'get_weather',
      content: 'Error: down',
      isError: true,
    });
    expect(t.steps[1]!.toolResults[0]!.content).toBe('{"celsius":18}');
    expect(r.examples[0]!.scores).toEqual({
      tool_selection: 0.8,
      tool_order: 0.8,
      tool_arguments: 1,
      trajectory_efficiency: 0.75,
      tool_error_recovery: 1,
    });
  });

  it('refuses a bad trajectory option', async () => {
    await expect(
      evaluate([{ input: 'x' }], async () => 'y', [], { trajectory: 'yes' as never }),
    ).rejects.toThrow('Expected `trajectory` to be a boolean or \'tool-calls\', got `"yes"` (string)');
  });
});
