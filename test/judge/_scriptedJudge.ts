// The set-up of the judge suites that script what the judge answers: one mock server for the file (started before
// its tests, reset after each, closed after them) answering every request with `answer` (or `respond(request)` when
// set), and an OpenAI client pointed at it, for the judge under test.
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { evaluate } from '../../src/index.js';
import { gEval } from '../../src/judge/index.js';
import {
  type MockAnswer,
  type MockRequest,
  type MockServer,
  startMockServer,
} from '../../src/testing/index.js';

/** What {@link scriptedJudgeServer} gives a suite; `client` and `server` are readable once its `beforeAll` ran. */
export interface ScriptedJudge {
  /** What the mock answers every request with: a text, or `{ content, logprobs, toolCalls, ... }`. */
  answer: MockAnswer;
  /** The answer as a function of the request; used instead of `answer` when set. */
  respond: ((request: MockRequest) => MockAnswer) | undefined;
  /** An OpenAI client of the mock server (`apiKey: 'test'`). */
  readonly client: OpenAI;
  readonly server: MockServer;
}

/**
 * Registers, in the calling file, a mock server whose answers the test scripts, and an OpenAI client of it.
 *
 * @example
 * const mock = scriptedJudgeServer();
 * it('…', async () => {
 *   mock.answer = '{"reason": "fine", "score": 4}';
 *   await evaluate(rows, model, [llmJudge({ client: mock.client, model: 'judge', rubric: 'Correct.' })]);
 * });
 */
export function scriptedJudgeServer(): ScriptedJudge {
  let server: MockServer | undefined;
  let client: OpenAI | undefined;
  const started = <T>(x: T | undefined): T => {
    if (x === undefined)
      throw new Error('scriptedJudgeServer: the mock server is not started yet (read it in a test)');
    return x;
  };
  const scripted: ScriptedJudge = {
    answer: '',
    respond: undefined,
    get client() {
      return started(client);
    },
    get server() {
      return started(server);
    },
  };
  beforeAll(async () => {
    server = await startMockServer({
      respond: (request) => (scripted.respond === undefined ? scripted.answer : scripted.respond(request)),
    });
    client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
  });
  afterEach(() => server?.reset());
  afterAll(async () => {
    await server?.close();
  });
  return scripted;
}

/**
 * gEval (criteria `'Correctness.'`, judge model `'judge'`) of one row, "Capital of France?" answered "Paris", with
 * the judge answering as `mock` is scripted: the row's score (null when missing) and its details.
 */
export async function gEvalOfOneRow(mock: ScriptedJudge): Promise<{ value: unknown; details: unknown }> {
  const r = await evaluate(
    [{ id: 'a', input: 'Capital of France?', reference: 'Paris' }],
    async () => 'Paris',
    [gEval({ client: mock.client, model: 'judge', criteria: 'Correctness.' })],
    { progress: false },
  );
  return { value: r.examples[0]!.scores.g_eval, details: r.examples[0]!.details?.g_eval };
}
