// Tool-call arguments come as JSON text from OpenAI (`function.arguments`) and as an object from Anthropic
// (`input`): the same call must match the same way in either form.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  matchToolArguments,
  toolArguments,
  toolArgumentsScore,
  trajectoryFromModel,
} from '../../src/agents/index.js';
import { check } from '../properties/_prop.js';

describe('arguments given as JSON text', () => {
  it('match as the object they encode, key order and spacing aside', () => {
    expect(matchToolArguments('{"unit": "C", "city": "Paris"}', { city: 'Paris', unit: 'C' })).toEqual({
      ok: true,
    });
    expect(matchToolArguments('{"city":"Lyon"}', { city: 'Paris' })).toEqual({
      ok: false,
      reason: 'city: expected "Paris", got "Lyon"',
    });
  });

  it.each([['"Paris"'], ['[1, 2]'], ['not json'], ['null'], ['']])(
    'text that is no JSON object still fails: %j',
    (text) => {
      expect(matchToolArguments(text, { city: 'Paris' })).toEqual({
        ok: false,
        reason: 'arguments: expected an object, got string',
      });
    },
  );

  it("toolArguments scores a model's own trajectory carrying OpenAI's argument text", async () => {
    const trajectory = trajectoryFromModel(
      { steps: [{ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris","days":3}' }] }] },
      'full',
    );
    const metric = toolArguments();
    const s = await metric.score({
      example: {
        id: 'a',
        input: 'q',
        reference: { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', days: 3 } }] },
      },
      output: '',
      trajectory,
    } as never);
    expect(s).toMatchObject({ value: 1 });
  });

  it('properties: the text form scores as the object form (OpenAI vs Anthropic)', () => {
    const value = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
    const args = fc.dictionary(
      fc.constantFrom('city', 'n', 'days', 'constructor'),
      fc.oneof(value, fc.array(value, { maxLength: 3 })),
      {
        maxKeys: 3,
      },
    );
    const call = fc.record({ name: fc.constantFrom('f', 'g'), arguments: args });
    check(
      'arguments text = object',
      400,
      fc.property(fc.array(call, { maxLength: 4 }), fc.array(call, { maxLength: 4 }), (calls, expected) => {
        const asText = calls.map((c) => ({ name: c.name, arguments: JSON.stringify(c.arguments) }));
        expect(toolArgumentsScore(asText, expected)).toEqual(toolArgumentsScore(calls, expected));
        // and a call matches its own expectation in text form
        expect(toolArgumentsScore(asText, calls).score).toBe(1);
      }),
    );
  });
});
