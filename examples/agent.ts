/**
 * Evaluating an agent, offline: the same weather agent written twice — an AI SDK tool loop (`generateText` with
 * tools and `stopWhen`) and a hand-written OpenAI Chat Completions tool loop — run against evalgate's mock server,
 * whose `scriptedAgent` plays the model (which tool to call with which arguments, when to answer). evalgate
 * records each row's trajectory from the wrapped clients (no change to the agents' code), scores it with the
 * `evalgate/agents` metrics, prints the tool-use summary, and compares a careless second version of the model
 * with the first: the regression shows in `tool_arguments` only.
 *
 *   npx tsx examples/agent.ts
 */
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, stepCountIs, tool } from 'ai';
import OpenAI from 'openai';
import { z } from 'zod';
import {
  toolArguments,
  toolOrder,
  toolSelection,
  toolUseSummary,
  trajectoryEfficiency,
} from '../src/agents/index.js';
import { wrapAISDKModel } from '../src/ai-sdk/index.js';
import {
  compare,
  type Example,
  evaluate,
  formatComparisonTable,
  formatResultTable,
  wrapOpenAI,
} from '../src/index.js';
import { type MockAgentScript, scriptedAgent, startMockServer } from '../src/testing/index.js';

const CELSIUS: Record<string, number> = { Paris: 18, Oslo: 4, Lima: 22, Cairo: 31, Quito: 14 };
const cities = Object.keys(CELSIUS);

// The tools, as the agent's authors wrote them.
const getWeather = ({ city }: { city: string }) => JSON.stringify({ city, celsius: CELSIUS[city] ?? null });
const convert = ({ celsius, to }: { celsius: number; to: string }) =>
  to === 'F' ? String(Math.round(celsius * 1.8 + 32)) : String(celsius);

// 40 tasks, each with the tool calls a good agent makes.
const dataset: Example[] = Array.from({ length: 40 }, (_, i) => {
  const city = cities[i % cities.length]!;
  return {
    id: `weather-${i}`,
    input: `Weather in ${city} in Fahrenheit (#${i})?`,
    reference: {
      toolCalls: [
        { name: 'get_weather', arguments: { city } },
        { name: 'convert', arguments: { celsius: CELSIUS[city], to: { $anyOf: ['F', 'fahrenheit'] } } },
      ],
      steps: 3,
    },
  };
});

// What the mock "model" does: version 2 forgets the unit on one task in four.
function script(model: string, task: string): MockAgentScript | undefined {
  const m = /^Weather in (\w+) in Fahrenheit \(#(\d+)\)\?$/.exec(task);
  if (m === null) return undefined;
  const [, city = '', n = '0'] = m;
  const to = model === 'weather-v2' && Number(n) % 4 === 0 ? 'C' : 'F';
  return {
    steps: [
      { toolCalls: [{ name: 'get_weather', arguments: { city } }] },
      { toolCalls: [{ name: 'convert', arguments: { celsius: CELSIUS[city], to } }] },
    ],
    final: (s) => `It is ${s.lastResults[0]?.content ?? '?'} in ${city}.`,
  };
}

const server = await startMockServer({ respond: scriptedAgent((task, req) => script(req.model, task)) });
try {
  // 1. An AI SDK tool loop: the model is wrapped once; generateText's steps are recorded.
  const aiModel = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'mock' })('weather-v1'));
  const aiSdkAgent = async (input: unknown) => {
    const { text } = await generateText({
      model: aiModel,
      prompt: String(input),
      stopWhen: stepCountIs(5),
      tools: {
        get_weather: tool({
          inputSchema: z.object({ city: z.string() }),
          execute: async (a) => getWeather(a),
        }),
        convert: tool({
          inputSchema: z.object({ celsius: z.number(), to: z.string() }),
          execute: async (a) => convert(a),
        }),
      },
    });
    return text;
  };

  // 2. An OpenAI tool loop, written by hand against a wrapped client.
  const openai = wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'mock' }));
  const openaiAgent = (model: string) => async (input: unknown) => {
    const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: String(input) }];
    const tools: OpenAI.Chat.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
        },
      },
      {
        type: 'function',
        function: {
          name: 'convert',
          parameters: { type: 'object', properties: { celsius: { type: 'number' }, to: { type: 'string' } } },
        },
      },
    ];
    for (let step = 0; step < 5; step++) {
      const res = await openai.chat.completions.create({ model, messages, tools });
      const message = res.choices[0]!.message;
      if (!message.tool_calls?.length) return message.content ?? '';
      messages.push(message);
      for (const call of message.tool_calls) {
        if (call.type !== 'function') continue;
        const args = JSON.parse(call.function.arguments);
        const content = call.function.name === 'get_weather' ? getWeather(args) : convert(args);
        messages.push({ role: 'tool', tool_call_id: call.id, content });
      }
    }
    return '';
  };

  const metrics = () => [toolSelection(), toolOrder(), toolArguments(), trajectoryEfficiency()];
  const options = { trajectory: true, progress: false } as const;
  const viaAiSdk = await evaluate(dataset, aiSdkAgent, metrics(), options);
  const v1 = await evaluate(dataset, openaiAgent('weather-v1'), metrics(), options);
  const v2 = await evaluate(dataset, openaiAgent('weather-v2'), metrics(), options);

  console.log('AI SDK tool loop\n', formatResultTable(viaAiSdk));
  console.log('OpenAI tool loop (v1)\n', formatResultTable(v1));
  const use = toolUseSummary(v1.examples)!;
  console.log(
    `tool use (v1): ${use.callsPerRow} tool calls per row, ${use.stepsPerRow} model calls per row, most used: ${use.tools.map((t) => `${t.name} ${t.calls}`).join(', ')}`,
  );
  const first = v1.examples[0]!.trajectory!;
  console.log(
    'first trajectory:',
    first.steps
      .map((s) => s.toolCalls.map((c) => `${c.name}(${JSON.stringify(c.arguments)})`).join(' ') || 'answer')
      .join(' -> '),
  );
  console.log('v1 -> v2\n', formatComparisonTable(compare(v1, v2)));
} finally {
  await server.close();
}
