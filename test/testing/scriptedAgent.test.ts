import { createOpenAI } from '@ai-sdk/openai';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import { type MockAgentScript, type MockServer, scriptedAgent } from '../../src/testing/index.js';
import {
  aiSdkAgent,
  anthropicAgent,
  openaiChatAgent,
  openaiResponsesAgent,
  weatherScript,
} from '../agents/_agentLoops.js';
import { mockServers } from './_mockServers.js';

const start = mockServers();

type Loop = (server: MockServer, task: string) => Promise<string>;
const loops: [string, Loop][] = [
  [
    'openai chat',
    (s, t) => openaiChatAgent(new OpenAI({ baseURL: s.url, apiKey: 'test', maxRetries: 0 }), t),
  ],
  [
    'openai responses',
    (s, t) => openaiResponsesAgent(new OpenAI({ baseURL: s.url, apiKey: 'test', maxRetries: 0 }), t),
  ],
  [
    'anthropic',
    (s, t) => anthropicAgent(new Anthropic({ baseURL: s.origin, apiKey: 'test', maxRetries: 0 }), t),
  ],
  [
    'ai-sdk (responses)',
    (s, t) => aiSdkAgent(createOpenAI({ baseURL: s.url, apiKey: 'test' })('mock-model'), t),
  ],
  [
    'ai-sdk (chat)',
    (s, t) => aiSdkAgent(createOpenAI({ baseURL: s.url, apiKey: 'test' }).chat('mock-model'), t),
  ],
];

/** How many tool results each request carried back, read from the mock's request log. */
function resultsPerRequest(server: MockServer): number[] {
  return server.requests.map((r) => {
    const text = JSON.stringify(r.body);
    return (text.match(/"(tool_call_id|tool_use_id)"|"function_call_output"/g) ?? []).length;
  });
}

describe('scriptedAgent: the mock as an agent counterpart', () => {
  it.each(loops)('%s: two tool turns, then the final answer built from the results', async (_name, loop) => {
    const server = await start({
      respond: scriptedAgent({ 'Weather in Paris, in F?': weatherScript('Paris') }),
    });
    // 18 C = 64.4 F, rounded by the convert tool.
    expect(await loop(server, 'Weather in Paris, in F?')).toBe('Paris: 64F');
    expect(server.stats.requests).toBe(3);
    expect(resultsPerRequest(server)).toEqual([0, 1, 2]);
  });

  it.each(loops)(
    '%s: a failing tool is retried with an alternative, then the script moves on',
    async (_n, loop) => {
      const script: MockAgentScript = {
        steps: [
          (s) => ({
            toolCalls: [{ name: 'get_weather', arguments: { city: s.retrying ? 'Oslo' : 'Atlantis' } }],
          }),
        ],
        final: (s) =>
          `retrying=${s.retrying} errors=${s.results.filter((r) => r.isError).length} last=${s.lastResults[0]?.content}`,
        // The AI SDK sends a thrown tool error as its bare message.
        isToolError: (r) => r.isError || r.content.includes('unknown city'),
      };
      const server = await start({ respond: scriptedAgent({ 'Weather in Atlantis?': script }) });
      expect(await loop(server, 'Weather in Atlantis?')).toBe(
        'retrying=false errors=1 last={"city":"Oslo","celsius":4}',
      );
      expect(server.stats.requests).toBe(3);
    },
  );

  it('retries at most maxRetries times in a row, then moves on; continue moves on at once', async () => {
    const failing: MockAgentScript = {
      steps: [{ toolCalls: [{ name: 'get_weather', arguments: { city: 'Atlantis' } }] }],
      final: (s) => `turns=${s.turn} errors=${s.results.filter((r) => r.isError).length}`,
      maxRetries: 2,
    };
    const server = await start({
      respond: scriptedAgent({ retry: failing, cont: { ...failing, onToolError: 'continue' } }),
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    expect(await openaiChatAgent(client, 'retry')).toBe('turns=3 errors=3');
    expect(await openaiChatAgent(client, 'cont')).toBe('turns=1 errors=1');
  });

  it('answers from the body alone: call ids and answers are the same on a second run, whatever the order', async () => {
    const server = await start({
      respond: scriptedAgent((task) =>
        task.startsWith('Weather in ') ? weatherScript(task.slice(11, -1)) : undefined,
      ),
    });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    const tasks = ['Weather in Oslo?', 'Weather in Lima?', 'Weather in Cairo?'];
    await Promise.all(tasks.map((t) => openaiChatAgent(client, t)));
    const first = server.requests.map((r) => JSON.stringify(r.body)).sort();
    server.reset();
    for (const t of [...tasks].reverse()) await openaiChatAgent(client, t);
    expect(server.requests.map((r) => JSON.stringify(r.body)).sort()).toEqual(first);
    const ids = server.requests.flatMap((r) =>
      ((r.body as { messages: { tool_call_id?: string }[] }).messages ?? []).flatMap((m) =>
        m.tool_call_id === undefined ? [] : [m.tool_call_id],
      ),
    );
    expect(ids.every((id) => /^call_[0-9a-f]{8}_\d_0$/.test(id))).toBe(true);
  });

  it('a task without a script falls through to the table and the fallback', async () => {
    const server = await start({ respond: scriptedAgent({}), table: { hi: 'hello' } });
    const client = new OpenAI({ baseURL: server.url, apiKey: 'test', maxRetries: 0 });
    expect(await openaiChatAgent(client, 'hi')).toBe('hello');
    expect(await openaiChatAgent(client, 'echo me')).toBe('echo me');
  });

  it.each([
    [null, 'Expected `scripts` to be an object or a function, got `null` (null)'],
    [{ t: { steps: 'x' } }, 'Expected `scripts["t"].steps` to be an array, got `x` (string)'],
    [{ t: { steps: [{}] } }, 'Expected `scripts["t"].steps[0]` to be { toolCalls } or a function'],
    [
      { t: { steps: [], maxRetries: -1 } },
      'Expected `scripts["t"].maxRetries` to be an integer >= 0, got `-1`',
    ],
  ])('refuses malformed scripts: %j', (scripts, message) => {
    expect(() => scriptedAgent(scripts as never)).toThrow(message);
  });
});
