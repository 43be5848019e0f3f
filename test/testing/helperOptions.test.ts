import { describe, expect, it } from 'vitest';
import { mockEmbedding } from '../../src/testing/index.js';

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
