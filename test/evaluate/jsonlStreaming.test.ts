import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const N = 100_000;

describe('evaluate: JSONL streaming of a large dataset', () => {
  it(`streams ${N} examples with bounded memory`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'evalgate-stream-'));
    const input = join(dir, 'big.jsonl');
    const output = join(dir, 'results.jsonl');
    // Each input is ~1 KB, so a run that kept its records would hold > 100 MB of them.
    const pad = 'x'.repeat(1000);
    const ws = createWriteStream(input);
    for (let i = 0; i < N; i++) {
      if (!ws.write(`${JSON.stringify({ id: `q${i}`, input: `${i % 10}${pad}` })}\n`))
        await once(ws, 'drain');
    }
    ws.end();
    await once(ws, 'close');
    expect(statSync(input).size).toBeGreaterThan(95 * 2 ** 20);

    const stdout = execFileSync(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, '_streamRun.ts'), input, output],
      { encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const report = JSON.parse(stdout) as {
      n: number;
      mean: number;
      examples: number;
      peakMB: number;
      retainedMB: number;
    };
    expect(report.n).toBe(N);
    expect(report.mean).toBe(8);
    expect(report.examples).toBe(0);
    // The compact score table (ids, trials, one score column) is a few MB; the records are on disk.
    expect(report.peakMB, `peak retained heap ${report.peakMB.toFixed(1)} MB`).toBeLessThan(40);
    expect(report.retainedMB, `retained heap ${report.retainedMB.toFixed(1)} MB`).toBeLessThan(40);

    const lines = readFileSync(output, 'utf8').split('\n').filter(Boolean);
    expect(lines).toHaveLength(N);
    const ids = new Set(lines.map((l) => (JSON.parse(l) as { id: string }).id));
    expect(ids.size).toBe(N);
  }, 120_000);
});
