// Loaded before each README block that the README test runs (test/readme/readmeBlocks.test.ts): the names the
// README's snippets use without defining them (a dataset, a model, a retriever, a client …), as globals, all
// pointing at the mock server whose URL the test passes in OPENAI_BASE_URL, and what a snippet takes from an earlier
// one (`evaluate`, `OpenAI`, `exactMatch`). vitest's `expect` with evalgate's matchers for snippets that use it.
import { expect } from 'vitest';
import '../../src/vitest/index.js';
import OpenAI from 'openai';
import { compare, evaluate, openaiModel } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/index.js';

const categories = ['account', 'billing', 'returns', 'shipping'];
const dataset = Array.from({ length: 40 }, (_, i) => ({
  id: `q${i}`,
  input: `question ${i}`,
  reference: `question ${i}`,
  metadata: { category: categories[i % 4] },
}));
const model = openaiModel({ model: 'gpt-4o-mini' });
const globals: Record<string, unknown> = {
  dataset,
  model,
  previousModel: async (input: unknown) =>
    Number(String(input).split(' ')[1]) % 4 === 0 ? 'x' : String(input),
  metrics: [exactMatch()],
  exactMatch,
  evaluate,
  compare,
  OpenAI,
  search: (_embedding: readonly number[]) => ['Passage one.', 'Passage two.'],
  myClient: {
    generate: async (request: { prompt: string }, _options: { signal: AbortSignal }) => ({
      text: request.prompt,
      inTokens: 3,
      outTokens: 3,
    }),
  },
  ragDataset: dataset.slice(0, 4).map((e) => ({ ...e, context: ['question 0 is answered here.'] })),
  ragSystem: model,
  oldAnswers: Object.fromEntries(dataset.map((e) => [e.id, String(e.input)])),
  expect,
  // "Is your judge right?": the human rater, who disagrees with the (always satisfied) mock judge on q0, q10, …
  rater: (id: string) => (Number(id.slice(1)) % 10 === 0 ? 0 : 1),
  // "Evaluating an agent": the tasks of the AI SDK block, and the OpenAI loop's tool schemas and runner.
  tasks: [
    {
      input: 'Weather in Paris, in Fahrenheit?',
      reference: {
        toolCalls: [
          { name: 'get_weather', arguments: { city: { $anyOf: ['Paris', 'Paris, France'] } } },
          {
            name: 'convert',
            arguments: { celsius: 18, to: 'F', precision: { $any: true, $optional: true } },
          },
        ],
        steps: 3,
        answer: 'It is 64F in Paris.',
      },
    },
  ],
  tools: [
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
  ],
  runTool: async (name: string, args: { city?: string; celsius?: number; to?: string }) =>
    name === 'get_weather'
      ? JSON.stringify({ city: args.city, celsius: 18 })
      : args.to === 'F'
        ? `${Math.round((args.celsius ?? 0) * 1.8 + 32)}F`
        : `${args.celsius}C`,
};
Object.assign(globalThis, globals);
