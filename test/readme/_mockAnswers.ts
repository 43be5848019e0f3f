/**
 * How the README test's mock server answers (test/readme/readmeBlocks.test.ts): judges get a verdict in the
 * format the "Scripting the judges" table gives (so a judged block scores rows instead of recording parse
 * errors), the README's weather agent is played by `scriptedAgent` (both tool loops of "Evaluating an agent"),
 * and everything else falls through to the mock's default answer.
 */
import { type MockAnswer, type MockRequest, scriptedAgent } from '../../src/testing/index.js';

/** The README's agent task and what the tools answer: 18 °C in Paris, 64 °F. */
export const WEATHER_TASK = 'Weather in Paris, in Fahrenheit?';

const agent = scriptedAgent({
  [WEATHER_TASK]: {
    steps: [
      { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] },
      { toolCalls: [{ name: 'convert', arguments: { celsius: 18, to: 'F' } }] },
    ],
    final: (s) => `It is ${s.lastResults[0]?.content ?? '?'} in Paris.`,
  },
});

/** The questions of the cluster coordinator's dataset (README, "More than one machine"), answered with the sum. */
export const SUM_QUESTION = /^What is (\d+) \+ (\d+)\? Answer with the number only\.$/;

/** A verdict for the judges of the table, from their system message; undefined for any other request. */
function judgeVerdict(request: MockRequest): MockAnswer | undefined {
  const system = request.systemMessage;
  if (system.startsWith('You are a careful, impartial evaluator')) {
    // The best score of the scale the system message states (1-5 by default, 0-1 for goalCompletion).
    const max = /from -?\d+ \(worst\) to (-?\d+) \(best\)/.exec(system)?.[1] ?? '5';
    return JSON.stringify({ reason: 'meets the rubric', score: Number(max) });
  }
  if (system.startsWith('You compare two AI responses'))
    return JSON.stringify({ reason: 'the same quality', winner: 'tie' });
  return undefined;
}

/** The README server's `respond`. */
export function readmeRespond(request: MockRequest): MockAnswer | undefined {
  const sum = SUM_QUESTION.exec(request.lastUserMessage);
  if (sum !== null) return String(Number(sum[1]) + Number(sum[2]));
  return judgeVerdict(request) ?? agent(request);
}
