// A judge that refuses gives no verdict, and the row should say why. The refusal's text was lost: OpenAI's
// `message.refusal` (content null) read as an empty reply ("not JSON", raw ''), a reply its content filter stopped
// likewise, and an Anthropic reply with stop_reason 'refusal' as whatever text it held (none: a missing score saying 'not JSON'). Now every judge's missing
// score quotes what the provider said: "the judge refused to give a verdict: …".
import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { type Example, evaluate } from '../../src/index.js';
import { faithfulness, gEval, llmJudge, pairwiseJudge } from '../../src/judge/index.js';
import { scriptedJudgeServer } from './_scriptedJudge.js';

const mock = scriptedJudgeServer();

const one: Example[] = [
  { id: 'a', input: 'Capital of France?', reference: 'Paris', context: ['Paris is the capital of France.'] },
];
const model = async () => 'Paris';
const openai = () => mock.client;

async function scoreOf(metric: Metric) {
  const r = await evaluate(one, model, [metric], { progress: false });
  return { value: r.examples[0]!.scores[metric.name], details: r.examples[0]!.details?.[metric.name] };
}

const SAID = "I'm sorry, I can't help with grading this.";
const judges: Record<string, () => Metric> = {
  llmJudge: () => llmJudge({ client: openai(), model: 'judge', rubric: 'Correct.' }),
  gEval: () => gEval({ client: openai(), model: 'judge', criteria: 'Correctness.' }),
  pairwiseJudge: () =>
    pairwiseJudge({ client: openai(), model: 'judge', criteria: 'Better.', baseline: () => 'Lyon' }),
  faithfulness: () => faithfulness({ client: openai(), model: 'judge' }),
};

describe.each(Object.keys(judges))('%s on an OpenAI client', (name) => {
  it("a refusal is a missing score quoting the provider's text", async () => {
    mock.answer = { content: null, refusal: SAID };
    const r = await scoreOf(judges[name]!());
    expect(r.value).toBeNull();
    expect(JSON.stringify(r.details)).toContain(
      `the judge refused to give a verdict: ${JSON.stringify(SAID)}`.replace(/"/g, '\\"'),
    );
  });
});

describe('other refusals', () => {
  it('a reply the OpenAI content filter stopped says so', async () => {
    mock.answer = { content: null, finishReason: 'content_filter' };
    const r = await scoreOf(judges.llmJudge!());
    expect(r.value).toBeNull();
    expect(JSON.stringify(r.details)).toContain("the provider's content filter stopped the reply");
  });

  it("an Anthropic reply with stop_reason 'refusal' says so", async () => {
    mock.answer = { content: SAID, finishReason: 'content_filter' };
    const judge = llmJudge({
      client: new Anthropic({ baseURL: mock.server.origin, apiKey: 'test' }),
      model: 'judge',
      rubric: 'Correct.',
    });
    const r = await scoreOf(judge);
    expect(r.value).toBeNull();
    // The mock's refusal carries no text (as the API's may not): the stop reason is what is said.
    expect(JSON.stringify(r.details)).toContain(
      'the judge refused to give a verdict: \\"stop_reason refusal, no text\\"',
    );
  });

  it('a verdict beside an empty refusal field still reads', async () => {
    mock.answer = '{"reason": "right", "score": 5}';
    expect((await scoreOf(judges.llmJudge!())).value).toBe(5);
  });
});
