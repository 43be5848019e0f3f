import { describe, expect, it } from 'vitest';
import { countMockTokens, mockEmbedding, scriptedAgent } from '../../src/testing/index.js';

describe('mockEmbedding options', () => {
  // `{ dimension: 8 }` (for `dimensions`) silently gave a 64-long vector; `null` options threw "Cannot read
  // properties of null".
  it('refuses an unknown option, naming it', () => {
    expect(() => mockEmbedding('x', { dimension: 8 } as never)).toThrow(TypeError);
    expect(() => mockEmbedding('x', { dimension: 8 } as never)).toThrow(
      'Unknown option `options.dimension`, got `8` (number)',
    );
  });

  it.each([
    ['null', null],
    ['a number', 8],
    ['an array', [8]],
  ])('refuses %s as options with a TypeError naming `options`', (_name, options) => {
    expect(() => mockEmbedding('x', options as never)).toThrow(TypeError);
    expect(() => mockEmbedding('x', options as never)).toThrow(/`options`/);
  });

  it('still takes undefined and {} options', () => {
    expect(mockEmbedding('x', undefined)).toHaveLength(64);
    expect(mockEmbedding('x', {})).toHaveLength(64);
  });
});

describe('scriptedAgent script checks', () => {
  // A misspelled key ({ finall: 'done' }, { maxRetry: 3 }) was ignored, so the agent silently answered with the
  // last tool result or retried once; `final: 5` was accepted and answered as empty content.
  it.each([
    ['finall', { steps: [], finall: 'done' }, 'Unknown option `scripts["t"].finall`, got `"done"` (string)'],
    ['maxRetry', { steps: [], maxRetry: 3 }, 'Unknown option `scripts["t"].maxRetry`, got `3` (number)'],
  ])('refuses the unknown script key %s, naming it', (_name, script, message) => {
    expect(() => scriptedAgent({ t: script as never })).toThrow(TypeError);
    expect(() => scriptedAgent({ t: script as never })).toThrow(message);
  });

  it.each([
    ['a number', 5],
    ['null', null],
  ])('refuses a final answer that is %s', (_name, final) => {
    expect(() => scriptedAgent({ t: { steps: [], final: final as never } })).toThrow(TypeError);
    expect(() => scriptedAgent({ t: { steps: [], final: final as never } })).toThrow(
      /`scripts\["t"\]\.final`/,
    );
  });

  it('checks a script returned by a scripts function the same way', () => {
    const agent = scriptedAgent(() => ({ steps: [], finall: 'x' }) as never);
    expect(() =>
      agent({ api: 'chat', body: { messages: [{ role: 'user', content: 'go' }] } } as never),
    ).toThrow('Unknown option `script.finall`');
  });
});

describe('countMockTokens input', () => {
  // A number threw "input is not iterable", and a message list given as a single message object did too.
  it.each([
    ['a number', 5, '`5` (number)'],
    ['null', null, '`null`'],
    ['a single message object', { role: 'user', content: 'hi' }, '`object` (object)'],
  ])('refuses %s with a TypeError naming `input`', (_name, input, shown) => {
    expect(() => countMockTokens(input as never)).toThrow(TypeError);
    expect(() => countMockTokens(input as never)).toThrow(
      `Expected \`input\` to be a string or an array of messages, got ${shown}`,
    );
  });

  it('counts empty strings and lone surrogates', () => {
    expect(countMockTokens('')).toBe(0);
    expect(countMockTokens([])).toBe(0);
    expect(countMockTokens('\ud800')).toBeGreaterThanOrEqual(1);
  });
});
