// Judge options a user can get wrong: each is refused when the judge is built, with a TypeError / RangeError
// naming the option and echoing the value. Before, a string temperature ('0') or a negative one was sent to the
// judge as is, `steps: 'abc'` failed with "options.steps.map is not a function", and `prompt: 'x'` was accepted
// and failed on every row at score time.
import { describe, expect, it } from 'vitest';
import { gEval, llmJudge } from '../../src/judge/index.js';

const client = async () => JSON.stringify({ reason: 'ok', score: 4 });
const judge = { model: 'm', rubric: 'Correct.', client };

describe('judge options are checked when the judge is built', () => {
  it.each([
    ['0', TypeError, 'Expected `temperature` to be a number in [0, 2], got `"0"` (string)'],
    [-1, RangeError, 'Expected `temperature` to be a number in [0, 2], got `-1` (number)'],
    [Number.NaN, RangeError, 'Expected `temperature` to be a number in [0, 2], got `NaN` (number)'],
    [3, RangeError, 'Expected `temperature` to be a number in [0, 2], got `3` (number)'],
  ])('llmJudge temperature %j', (temperature, type, message) => {
    expect(() => llmJudge({ ...judge, temperature: temperature as number })).toThrow(new type(message));
  });

  it('llmJudge prompt must be a function', () => {
    expect(() => llmJudge({ ...judge, prompt: 'x' as never })).toThrow(
      new TypeError('Expected `prompt` to be a function, got `"x"` (string)'),
    );
  });

  it.each([
    ['abc', 'Expected `steps` to be an array of strings, got `"abc"` (string)'],
    [['read it', 3], 'Expected `steps[1]` to be a string, got `3` (number)'],
  ])('gEval steps %j', (steps, message) => {
    expect(() => gEval({ model: 'm', criteria: 'c', client, steps: steps as never })).toThrow(
      new TypeError(message),
    );
  });

  it('valid options still build', () => {
    expect(llmJudge({ ...judge, temperature: 0.7, prompt: (_ex, out) => out }).name).toBe('llm_judge');
    expect(gEval({ model: 'm', criteria: 'c', client, steps: ['Read.', 'Rate.'] }).name).toBe('g_eval');
  });
});
