// The token counts evalgate reports (the TPM estimate, estimateCost, the mock server's usage and log-probability
// pieces) come from gpt-tokenizer's o200k_base. Moving to another major of gpt-tokenizer must not change one of
// them: every string of the shared reference fixtures and a few edge texts count, and encode to the same ids, as
// under gpt-tokenizer 3.4.0 (fixtures/token_counts.json, written by fixtures/gen_token_counts.mjs).
import { existsSync, readFileSync } from 'node:fs';
import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { countPromptTokens } from '../../src/calls/estimateTokens.js';
import { countMockTokens } from '../../src/testing/index.js';

interface Fixture {
  readonly generator: string;
  /** [text, tokens, FNV-1a hash of the ids] */
  readonly edges: readonly (readonly [string, number, number])[];
  /** Per file, per line, per string of the line (document order): [tokens, hash]. */
  readonly files: Readonly<Record<string, readonly (readonly (readonly [number, number])[])[]>>;
}
const fixture = JSON.parse(
  readFileSync(new URL('fixtures/token_counts.json', import.meta.url), 'utf8'),
) as Fixture;
const reference = new URL('../../../shared/reference/', import.meta.url);

function fnv1a(ids: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const id of ids) {
    h ^= id;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) for (const v of value) strings(v, out);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

/** What the installed gpt-tokenizer gives for `text`, through each path evalgate counts with. */
function measured(text: string): { estimate: number; mock: number; ids: number; hash: number } {
  const ids = encode(text);
  return {
    estimate: countPromptTokens(text),
    mock: countMockTokens(text),
    ids: ids.length,
    hash: fnv1a(ids),
  };
}

describe(`token counts equal those of ${fixture.generator}`, () => {
  it.each(
    fixture.edges.map(([text, tokens, hash]) => [JSON.stringify(text).slice(0, 40), text, tokens, hash]),
  )('edge text %s', (_label, text, tokens, hash) => {
    expect(measured(text)).toEqual({ estimate: tokens, mock: tokens, ids: tokens, hash });
  });

  const files = Object.keys(fixture.files);
  it.each(files)('every string of ../shared/reference/%s', (file) => {
    const path = new URL(file, reference);
    if (!existsSync(path)) {
      console.log(`note: ${path.pathname} not found; skipping its token counts`);
      return;
    }
    const lines = readFileSync(path, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '');
    const want = fixture.files[file] ?? [];
    expect(lines).toHaveLength(want.length);
    let differing = 0;
    let texts = 0;
    lines.forEach((line, i) => {
      strings(JSON.parse(line)).forEach((text, j) => {
        const [tokens, hash] = want[i]?.[j] ?? [-1, -1];
        const got = measured(text);
        texts++;
        if (got.estimate !== tokens || got.mock !== tokens || got.ids !== tokens || got.hash !== hash)
          differing++;
      });
    });
    expect(texts).toBe(want.reduce((n, l) => n + l.length, 0));
    expect(differing, `strings of ${file} counted or encoded otherwise`).toBe(0);
  });
});
