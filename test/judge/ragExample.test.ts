import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('examples/ragJudge.ts', () => {
  it('runs a judged RAG evaluation against the mock server and prints CIs and the judge bias', () => {
    const script = fileURLToPath(new URL('../../examples/ragJudge.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    // 6 of 24 answers add one unsupported claim to two supported ones: faithfulness = (18 + 6 * 2/3) / 24 = 0.9167.
    // 24 rows of a bounded metric (< 30): the finite-sample bounded-mean interval, not BCa (issue 19).
    expect(out).toMatch(
      /^faithfulness\s+0\.9167\s+\[[\d.]+, [\d.]+\]\s+24\s+0\s+bounded-mean \(n < 30: finite-sample interval\)$/m,
    );
    expect(out).toMatch(/^llm_judge\s+4\.25\s/m);
    expect(out).toContain('6 of 24 answers contain a claim the context does not support.');
    expect(out).toMatch(
      /llm_judge bias: score vs answer length r = -?[\d.]+ \[-?[\d.]+, -?[\d.]+\] \(n = 24\)/,
    );
  });
});
