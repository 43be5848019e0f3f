/**
 * Three agents with the same tools, written the way a user writes them against each SDK (nothing evalgate-specific
 * inside): an OpenAI Chat Completions loop, an OpenAI Responses loop, an Anthropic Messages loop, and an AI SDK
 * `generateText` loop. Plus scripts for the mock server that drive them.
 */
import type Anthropic from '@anthropic-ai/sdk';
import { generateText, type LanguageModel, stepCountIs, tool } from 'ai';
import type OpenAI from 'openai';
import { z } from 'zod';
import type { MockAgentScript } from '../../src/testing/index.js';

/** The tools: deterministic, and `get_weather` fails for an unknown city. */
export const TEMPERATURES: Record<string, number> = { Paris: 18, Oslo: 4, Lima: 22, Cairo: 31 };

export function runTool(name: string, args: Record<string, unknown>): string {
  if (name === 'get_weather') {
    const t = TEMPERATURES[String(args.city)];
    if (t === undefined) throw new Error(`unknown city ${String(args.city)}`);
    return JSON.stringify({ city: args.city, celsius: t });
  }
  if (name === 'convert') {
    const c = Number(args.celsius);
    return String(args.to) === 'F' ? String(Math.round(c * 1.8 + 32)) : String(c);
  }
  throw new Error(`no tool ${name}`);
}

/** A tool result as text; a thrown error becomes `Error: <message>` (what the AI SDK also sends back). */
function toolOutput(name: string, args: Record<string, unknown>): string {
  try {
    return runTool(name, args);
  } catch (err) {
    return `Error: ${(err as Error).message}`;
  }
}

const weatherParams = {
  type: 'object',
  properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['C', 'F'] } },
  required: ['city'],
} as const;
const convertParams = {
  type: 'object',
  properties: { celsius: { type: 'number' }, to: { type: 'string' } },
  required: ['celsius', 'to'],
} as const;

export async function openaiChatAgent(client: OpenAI, task: string, model = 'mock-model'): Promise<string> {
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [{ role: 'user', content: task }];
  const tools: OpenAI.Chat.ChatCompletionTool[] = [
    { type: 'function', function: { name: 'get_weather', parameters: weatherParams } },
    { type: 'function', function: { name: 'convert', parameters: convertParams } },
  ];
  for (let i = 0; i < 8; i++) {
    const res = await client.chat.completions.create({ model, messages, tools });
    const msg = res.choices[0]!.message;
    if (!msg.tool_calls?.length) return msg.content ?? '';
    messages.push(msg);
    for (const call of msg.tool_calls) {
      if (call.type !== 'function') continue;
      const content = toolOutput(call.function.name, JSON.parse(call.function.arguments));
      messages.push({ role: 'tool', tool_call_id: call.id, content });
    }
  }
  return '';
}

export async function openaiResponsesAgent(
  client: OpenAI,
  task: string,
  model = 'mock-model',
): Promise<string> {
  const input: OpenAI.Responses.ResponseInputItem[] = [{ role: 'user', content: task }];
  const tools: OpenAI.Responses.Tool[] = [
    { type: 'function', name: 'get_weather', parameters: { ...weatherParams }, strict: false },
    { type: 'function', name: 'convert', parameters: { ...convertParams }, strict: false },
  ];
  for (let i = 0; i < 8; i++) {
    const res = await client.responses.create({ model, input, tools });
    const calls = res.output.filter((o) => o.type === 'function_call');
    if (calls.length === 0) return res.output_text;
    for (const call of calls) {
      input.push({
        type: 'function_call',
        call_id: call.call_id,
        name: call.name,
        arguments: call.arguments,
      });
      input.push({
        type: 'function_call_output',
        call_id: call.call_id,
        output: toolOutput(call.name, JSON.parse(call.arguments)),
      });
    }
  }
  return '';
}

export async function anthropicAgent(client: Anthropic, task: string, model = 'mock-model'): Promise<string> {
  const messages: Anthropic.MessageParam[] = [{ role: 'user', content: task }];
  const tools: Anthropic.Tool[] = [
    { name: 'get_weather', input_schema: weatherParams as unknown as Anthropic.Tool.InputSchema },
    { name: 'convert', input_schema: convertParams as unknown as Anthropic.Tool.InputSchema },
  ];
  for (let i = 0; i < 8; i++) {
    const res = await client.messages.create({ model, max_tokens: 256, messages, tools });
    const uses = res.content.filter((b) => b.type === 'tool_use');
    if (uses.length === 0) return res.content.map((b) => (b.type === 'text' ? b.text : '')).join('');
    messages.push({ role: 'assistant', content: res.content });
    messages.push({
      role: 'user',
      content: uses.map((u) => {
        const out = toolOutput(u.name, u.input as Record<string, unknown>);
        return {
          type: 'tool_result' as const,
          tool_use_id: u.id,
          content: out,
          is_error: out.startsWith('Error'),
        };
      }),
    });
  }
  return '';
}

export async function aiSdkAgent(model: LanguageModel, task: string): Promise<string> {
  const result = await generateText({
    model,
    prompt: task,
    maxRetries: 0,
    stopWhen: stepCountIs(8),
    tools: {
      get_weather: tool({
        inputSchema: z.object({ city: z.string(), unit: z.enum(['C', 'F']).optional() }),
        execute: async (args) => runTool('get_weather', args),
      }),
      convert: tool({
        inputSchema: z.object({ celsius: z.number(), to: z.string() }),
        execute: async (args) => runTool('convert', args),
      }),
    },
  });
  return result.text;
}

/** Weather in a city, converted to Fahrenheit: two tool turns, then the answer. */
export function weatherScript(city: string, celsius = TEMPERATURES[city] ?? 0): MockAgentScript {
  return {
    steps: [
      { toolCalls: [{ name: 'get_weather', arguments: { city } }] },
      { toolCalls: [{ name: 'convert', arguments: { celsius, to: 'F' } }] },
    ],
    final: (s) => `${city}: ${s.lastResults[0]?.content ?? '?'}F`,
  };
}
