/**
 * gEval's sampling fallback (an endpoint that returns no logprobs) averaged however many valid verdicts came back:
 * an endpoint that also ignores `n` answered one choice, so every row's score was one verdict, not a mean of 10,
 * and only each record's details.samples showed it. The run now says so in one warning of `result.warnings`.
 * Against the project's mock server, as judge.test.ts's gEval tests.
 */
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Example, evaluate } from '../../src/index.js';
import { gEval } from '../../src/judge/index.js';
import {
  type MockAnswer,
  type MockRequest,
  type MockServer,
  startMockServer,
} from '../../src/testing/index.js';

let respond: (req: MockRequest) => MockAnswer | undefined = () => undefined;
let server: MockServer;
beforeAll(async () => {
  server = await startMockServer({ respond: (req) => respond(req) });
});
afterEach(() => server.reset());
afterAll(async () => {
  await server.close();
});

/** A client of an endpoint that returns no logprobs, and (with `choices`) at most that many choices whatever `n`. */
const endpoint = (choices?: (row: string) => number) =>
  new OpenAI({
    baseURL: server.url,
    apiKey: 'test',
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      const json = (await res.json()) as { choices?: { logprobs?: unknown }[] };
      for (const c of json.choices ?? []) c.logprobs = null;
      const body = JSON.parse(String(init?.body ?? '{}')) as { messages?: { content?: string }[] };
      const row = body.messages?.at(-1)?.content ?? '';
      if (choices !== undefined && json.choices !== undefined)
        json.choices = json.choices.slice(0, choices(row));
      return new Response(JSON.stringify(json), { status: res.status, headers: res.headers });
    },
  });

const examples: Example[] = Array.from({ length: 6 }, (_, i) => ({ id: `q${i}`, input: `question ${i}` }));
const answer = async (input: unknown) => `answer to ${String(input)}`;
const fewWarnings = (warnings: readonly string[] | undefined) =>
  (warnings ?? []).filter((w) => w.includes('(gEval)'));

describe('gEval sampling fallback: fewer verdicts than asked', () => {
  it('an endpoint that ignores `n` (one choice per row): one warning with rows, fewest and asked', async () => {
    respond = (req) => String(3 + (req.choiceIndex % 2));
    const r = await evaluate(
      examples,
      answer,
      [gEval({ client: endpoint(() => 1), model: 'judge-3', criteria: 'Correctness.' })],
      { progress: false },
    );
    expect(r.examples.map((e) => (e.details!.g_eval as { samples: number[] }).samples)).toEqual(
      examples.map(() => [3]),
    );
    expect(fewWarnings(r.warnings)).toEqual([
      "metric `g_eval` (gEval): the endpoint returned no logprobs, and 6 of the 6 rows it scored by sampling averaged fewer valid verdicts than the 10 asked (`samples`; as few as 1): the endpoint may ignore `n`, or its verdicts were off the scale (each record's details.samples and details.invalid)",
    ]);
  });

  it('counts only the short rows, and names the fewest (some rows 4 of 6, one row 2 of 6, off-scale verdicts)', async () => {
    // Rows q0, q1 get 4 choices; q2 gets all 6 of which 4 are off the scale; the rest all 6.
    respond = (req) => {
      const text = JSON.stringify(req.body);
      return text.includes('question 2') && req.choiceIndex < 4 ? '9' : '4';
    };
    const r = await evaluate(
      examples,
      answer,
      [
        gEval({
          client: endpoint((row) => (row.includes('question 0') || row.includes('question 1') ? 4 : 99)),
          model: 'judge-3',
          criteria: 'Correctness.',
          samples: 6,
          name: 'coherence',
        }),
      ],
      { progress: false },
    );
    expect(r.metrics.coherence!.n).toBe(6);
    expect(fewWarnings(r.warnings)).toEqual([
      "metric `coherence` (gEval): the endpoint returned no logprobs, and 3 of the 6 rows it scored by sampling averaged fewer valid verdicts than the 6 asked (`samples`; as few as 2): the endpoint may ignore `n`, or its verdicts were off the scale (each record's details.samples and details.invalid)",
    ]);
  });

  it('says nothing when every row got the verdicts it asked for', async () => {
    respond = (req) => String(3 + (req.choiceIndex % 2));
    const r = await evaluate(
      examples,
      answer,
      [gEval({ client: endpoint(), model: 'judge-3', criteria: 'Correctness.', samples: 4 })],
      { progress: false },
    );
    expect(r.examples[0]!.details!.g_eval).toMatchObject({ method: 'sampling', samples: [3, 4, 3, 4] });
    expect(fewWarnings(r.warnings)).toEqual([]);
  });
});
