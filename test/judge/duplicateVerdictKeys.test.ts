// A judge's JSON verdict that names a field twice ({"score": 8, "score": 3}) holds two answers: JSON.parse keeps
// the last one silently, so the score was 3 (and a pairwise winner the second one named). Every judge now reads
// it as a missing score with a JudgeParseError message; nested objects, and keys inside strings, are no repeats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Example, evaluate, type Metric } from '../../src/index.js';
import { _parseJsonObject } from '../../src/judge/_internal/parseJson.js';
import { contextRelevance, llmJudge, pairwiseJudge } from '../../src/judge/index.js';
import { scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

const one: Example[] = [
  {
    id: 'a',
    input: 'Capital of France?',
    reference: 'Paris',
    context: ['Paris is the capital.', 'Bananas.'],
  },
];
const model = async () => 'Paris';

async function run(metric: Metric, reply: string) {
  mock.answer = reply;
  const r = await evaluate(one, model, [metric], { progress: false });
  return { value: r.examples[0]!.scores[metric.name], details: r.examples[0]!.details?.[metric.name] };
}

describe('a verdict naming a field twice is missing, not its last value', () => {
  it.each([
    [
      'llmJudge',
      () => llmJudge({ client: mock.client, model: 'judge', rubric: 'Correct.' }),
      '{"reason": "good", "score": 5, "score": 1}',
      'llmJudge: the judge\'s reply gives "score" twice',
    ],
    [
      'llmJudge',
      () => llmJudge({ client: mock.client, model: 'judge', rubric: 'Correct.' }),
      '{"score": 5, "reason": "good", "reason": "bad", "score": 1}',
      'llmJudge: the judge\'s reply gives "reason" twice',
    ],
    [
      'pairwiseJudge',
      () =>
        pairwiseJudge({ client: mock.client, model: 'judge', criteria: 'Better.', baseline: () => 'Lyon' }),
      '{"reason": "", "winner": "1", "winner": "2"}',
      'pairwiseJudge: the judge\'s reply gives "winner" twice',
    ],
    [
      'contextRelevance',
      () => contextRelevance({ client: mock.client, model: 'judge' }),
      '{"relevant": [true, true], "relevant": [false, false]}',
      'context_relevance: the judge\'s reply gives "relevant" twice',
    ],
  ])('%#: %s', async (_name, metric, reply, error) => {
    const r = await run(metric(), reply);
    expect(r.value).toBeNull();
    expect(r.details).toMatchObject({ error, raw: reply });
  });

  it('a key repeated inside a nested object or written inside a string is no repeat', async () => {
    const reply =
      '{"reason": "\\"score\\": 1 would be wrong", "score": 4, "extra": {"score": 2, "n": {"score": 3}}}';
    expect(
      (await run(llmJudge({ client: mock.client, model: 'judge', rubric: 'Correct.' }), reply)).value,
    ).toBe(4);
  });

  it('a key given twice inside one nested object is refused too: a statement verdict of 1 and 0 is none', () => {
    expect(() =>
      _parseJsonObject('{"statements":[{"statement":"a","verdict":1,"verdict":0}]}', 'faithfulness'),
    ).toThrow(`faithfulness: the judge's reply gives "verdict" twice (at statements[].verdict)`);
    // The same key in two objects is no repeat.
    expect(
      _parseJsonObject('{"statements":[{"verdict":1},{"verdict":0}]}', 'faithfulness').statements,
    ).toEqual([{ verdict: 1 }, { verdict: 0 }]);
  });

  it('property: any JSON object reads back as itself; the same text with a top-level key repeated is refused (seeded)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue(), { minKeys: 1 }),
        fc.jsonValue(),
        fc.nat(),
        (obj, again, pick) => {
          const text = JSON.stringify(obj);
          expect(_parseJsonObject(text, 'judge')).toEqual(JSON.parse(text));
          const key = Object.keys(obj)[pick % Object.keys(obj).length]!;
          const doubled = `${text.slice(0, -1)},${JSON.stringify(key)}:${JSON.stringify(again)}}`;
          expect(() => _parseJsonObject(doubled, 'judge')).toThrow(
            `judge: the judge's reply gives ${JSON.stringify(key)} twice`,
          );
        },
      ),
      { seed: 4243, numRuns: 300 },
    );
  });
});
