import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('examples/calibratedJudge.ts', () => {
  it('runs a lenient judge with 120 human labels and prints raw and calibrated estimates side by side', () => {
    const script = fileURLToPath(new URL('../../examples/calibratedJudge.ts', import.meta.url));
    const out = execFileSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      timeout: 110_000,
    });
    const num = (re: RegExp) => out.match(re)!.slice(1).map(Number);
    const [truth] = num(/human-level accuracy \(known here\): ([\d.]+)/);
    const [rawMean, rawLow] = num(/raw judge: +([\d.]+) \[([\d.]+), [\d.]+\]/);
    const [calMean, calLow, calHigh] = num(
      /calibrated: +([\d.]+) \[([\d.]+), ([\d.]+)\] \(ppi\+\+, lambda [\d.]+, 120 human labels, 280 unlabeled\)/,
    );
    // the lenient judge overstates accuracy beyond its own interval; the calibrated interval covers the truth
    expect(rawLow!).toBeGreaterThan(truth!);
    expect(calLow!).toBeLessThanOrEqual(truth!);
    expect(calHigh!).toBeGreaterThanOrEqual(truth!);
    expect(Math.abs(calMean! - truth!)).toBeLessThan(Math.abs(rawMean! - truth!));
    expect(out).toMatch(/judge vs humans: kappa [\d.]+, TPR [\d.]+, TNR [\d.]+/);
    expect(out).toContain('judge calls to the mock server: 400');
    expect(out).toContain('### Calibrated with human labels (raw judge vs PPI++)');
    expect(out).toContain(
      '| support | solved | 0.7925 [0.7525, 0.83] | 0.6785 [0.6074, 0.7496] | 0.546 | 120 / 400 |',
    );
  }, 120_000);
});
