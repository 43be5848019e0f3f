/**
 * The @example results shown in the TSDoc of src/errors.ts (and of the exported constants), checked through
 * the public entry points: what evalgate raises, where a caller meets it (thrown by `evaluate()`, or on a row's
 * record), and the fields shown.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOpenAI } from '@ai-sdk/openai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wrapAISDKModel } from '../../src/ai-sdk/index.js';
import { memoryCache } from '../../src/cache/index.js';
import {
  BudgetExceededError,
  ComparisonError,
  compare,
  DatasetError,
  EvalgateError,
  type EvalResult,
  evaluate,
  FailureRateExceededError,
  JUPYTER_DISPLAY,
  loadJsonl,
  loadResult,
  NestedRunError,
  openaiModel,
  ReplayMissError,
  ResultFormatError,
  RunClosedError,
  SCHEMA_VERSION,
  UnsupportedModelKindError,
  VERSION,
  wrapOpenAI,
} from '../../src/index.js';
import { llmJudge } from '../../src/judge/index.js';
import { exactMatch } from '../../src/metrics/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

const dataset = Array.from({ length: 20 }, (_, i) => ({ id: `q${i}`, input: i, reference: String(i) }));
const echo = async (input: unknown) => String(input);
const quiet = { progress: false } as const;

/** The rejection of `p`, or a failure when it resolves. */
async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a rejection');
}

let dir: string;
let server: MockServer;
let client: OpenAI;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'evalgate-error-docs-'));
  // A judge reply off the integer scale; plain echo for everything else.
  server = await startMockServer({
    respond: (req) => (req.systemMessage !== '' ? '{"reason":"ok","score":4.5}' : 'answer'),
  });
  client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('TSDoc examples of the error classes', () => {
  it('DatasetError: a bad JSONL line, a duplicate id', async () => {
    const path = join(dir, 'qa.jsonl');
    writeFileSync(path, '{"input":"a","reference":"a"}\n{"input":"b","reference":"b"}\nnot json\n');
    const bad = await rejection(evaluate(loadJsonl(path), echo, [exactMatch()], quiet));
    expect(bad).toBeInstanceOf(DatasetError);
    expect(bad).toBeInstanceOf(EvalgateError);
    expect((bad as DatasetError).line).toBe(3);
    const dup = (await rejection(
      evaluate(
        [
          { id: 'a', input: 1 },
          { id: 'a', input: 2 },
        ],
        echo,
        [exactMatch()],
        quiet,
      ),
    )) as DatasetError;
    expect(dup).toBeInstanceOf(DatasetError);
    expect([dup.position, dup.exampleId, dup.code]).toEqual([1, 'a', 'E_DATASET']);
    expect(dup.message).toBe('dataset row 1: duplicate example id "a"');
  });

  it('TimeoutError: the row fails, the record keeps E_TIMEOUT', async () => {
    const slow = async (input: unknown) => {
      if (input === 0) await new Promise((r) => setTimeout(r, 1000));
      return String(input);
    };
    const result = await evaluate(dataset, slow, [exactMatch()], { ...quiet, rowTimeoutMs: 100 });
    expect(result.examples.filter((r) => r.error?.code === 'E_TIMEOUT').map((r) => r.id)).toEqual(['q0']);
    expect(result.examples[0]!.error?.name).toBe('TimeoutError');
  });

  it('ModelOutputError: on the record of the row whose model returned a number', async () => {
    const answers: Record<string, unknown> = Object.fromEntries(dataset.map((e) => [e.id, e.reference]));
    answers.q3 = 42;
    const result = await evaluate(
      dataset,
      async (_input, ctx) => answers[ctx.example.id as string] as string,
      [exactMatch()],
      { ...quiet, maxFailureRate: 0.1 },
    );
    expect(result.examples.find((r) => r.error?.code === 'E_MODEL_OUTPUT')?.error?.message).toBe(
      'The model returned `42` (number) for example "q3": expected a string or { output: string }',
    );
  });

  it('ReplayMissError: evaluate() throws it with the key and the example', async () => {
    const err = await rejection(
      evaluate(dataset.slice(0, 3), openaiModel({ model: 'gpt-4o-mini', client }), [exactMatch()], {
        ...quiet,
        concurrency: 1,
        cache: { store: memoryCache(), mode: 'replay' },
      }),
    );
    expect(err).toBeInstanceOf(ReplayMissError);
    const miss = err as ReplayMissError;
    expect([miss.code, miss.exampleId]).toEqual(['E_REPLAY_MISS', 'q0']);
    expect(miss.key).toMatch(/^[0-9a-f]{64}$/);
    expect(miss.message).toMatch(/^Replay miss: no cached response for example "q0"/);
  });

  it('JudgeParseError: a missing score whose details keep the message and the raw reply', async () => {
    const judge = llmJudge({ model: 'gpt-4o', rubric: 'Correct and complete.', client });
    const result = await evaluate(dataset.slice(0, 1), echo, [judge], quiet);
    const bad = result.examples.find((r) => r.scores.llm_judge === null);
    expect(bad?.details?.llm_judge).toEqual({
      error: 'llmJudge: expected an integer `score`, got `4.5` (number)',
      raw: '{"reason":"ok","score":4.5}',
    });
  });

  it('FailureRateExceededError: the partial result is attached', async () => {
    const model = async (input: unknown) =>
      (input as number) < 5 ? (42 as unknown as string) : String(input);
    const err = await rejection(evaluate(dataset, model, [exactMatch()], quiet));
    expect(err).toBeInstanceOf(FailureRateExceededError);
    const e = err as FailureRateExceededError;
    const result = e.result as EvalResult;
    expect([e.failureRate, e.maxFailureRate, result.nFailed, result.n]).toEqual([0.25, 0.05, 5, 20]);
  });

  it('ComparisonError: the first unpaired example', async () => {
    const baseline = await evaluate(dataset, echo, [exactMatch()], quiet);
    const candidate = await evaluate(dataset.slice(0, 10), echo, [exactMatch()], quiet);
    let thrown: unknown;
    try {
      compare(baseline, candidate);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ComparisonError);
    expect((thrown as ComparisonError).exampleId).toBe('q10');
    expect((thrown as ComparisonError).message).toMatch(/allowUnpaired: true/);
  });

  it('ResultFormatError: a JSON file that is not a result', async () => {
    const path = join(dir, 'notes.json');
    writeFileSync(path, '{"hello":1}');
    const err = await rejection(loadResult(path));
    expect(err).toBeInstanceOf(ResultFormatError);
    expect((err as Error).message).toBe(`${path} is not an evalgate result: it has no \`schemaVersion\``);
  });

  it('RunClosedError: a call left running after evaluate() returned', async () => {
    const wrapped = wrapOpenAI(client);
    let late: Promise<unknown> | undefined;
    await evaluate(
      dataset.slice(0, 1),
      async () => {
        late = new Promise((r) => setTimeout(r, 50)).then(() =>
          wrapped.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: 'hi' }],
          }),
        );
        return '0';
      },
      [exactMatch()],
      quiet,
    );
    const requests = server.stats.requests;
    const code = await late?.catch((err) => err instanceof RunClosedError && err.code);
    expect(code).toBe('E_RUN_CLOSED');
    expect(server.stats.requests).toBe(requests);
  });

  it('NestedRunError: the outer row fails with it', async () => {
    let inner: unknown;
    const result = await evaluate(
      dataset.slice(0, 1),
      async () => {
        try {
          await evaluate(dataset, echo, [exactMatch()], quiet);
        } catch (err) {
          inner = err;
          throw err;
        }
        return 'unreached';
      },
      [exactMatch()],
      { ...quiet, maxFailureRate: 1 },
    );
    expect(inner).toBeInstanceOf(NestedRunError);
    expect(result.examples[0]!.error?.code).toBe('E_NESTED_RUN');
  });

  it('BudgetExceededError: the call throws it, evaluate() stops with stoppedBy budget', async () => {
    const wrapped = wrapOpenAI(client);
    const limits: string[] = [];
    const result = await evaluate(
      dataset,
      async (input) => {
        try {
          const r = await wrapped.chat.completions.create({
            model: 'gpt-4o-mini',
            messages: [{ role: 'user', content: String(input) }],
          });
          return r.choices[0]?.message.content ?? '';
        } catch (err) {
          if (err instanceof BudgetExceededError) {
            limits.push(err.limit);
            throw err;
          }
          return 'fallback';
        }
      },
      [exactMatch()],
      { ...quiet, concurrency: 1, budget: { maxRequests: 5 } },
    );
    expect(result.run.stoppedBy).toBe('budget');
    expect(result.n).toBe(5);
    expect(limits).toEqual(['maxRequests']);
  });

  it('UnsupportedModelKindError: an image model, refused when wrapped', () => {
    const openai = createOpenAI({ apiKey: 'test' });
    const err = (() => {
      try {
        wrapAISDKModel(openai.image('dall-e-3') as never); // its type is refused too: no doStream
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UnsupportedModelKindError);
    expect(err).toBeInstanceOf(EvalgateError);
    expect(err).toMatchObject({ modelKind: 'image', supported: ['language', 'embedding', 'reranking'] });
  });
});

describe('TSDoc examples of the exported constants', () => {
  it('VERSION, SCHEMA_VERSION, JUPYTER_DISPLAY', async () => {
    const result = await evaluate(dataset.slice(0, 2), echo, [exactMatch()], quiet);
    expect(result.run.evalgateVersion).toBe(VERSION);
    expect(result.schemaVersion).toBe(SCHEMA_VERSION);
    const display = (result as unknown as Record<symbol, () => object>)[JUPYTER_DISPLAY]!;
    expect(Object.keys(display.call(result))).toEqual(['text/html', 'text/plain']);
  });
});
