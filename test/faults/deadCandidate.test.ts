/**
 * `evalgate compare` and the matchers never pass a dead candidate: one whose calls all failed against a server
 * that refuses every request, or whose judge scores are all missing. NaN comparisons are false, so without a
 * check such a candidate reads as "no regression".
 */
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '../../src/vitest/index.js';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { exactMatch } from '../../src/metrics/exactMatch.js';
import { openaiModel } from '../../src/providers/openaiModel.js';
import { compare } from '../../src/result/compare.js';
import { saveResult } from '../../src/result/saveResult.js';

const root = join(import.meta.dirname, '../..');
let server: Server;
let url: string;
beforeAll(async () => {
  // Every request answered 400: nothing is retried, every row fails.
  server = createServer((_req, res) => {
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'model not found', type: 'invalid_request_error' } }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const data = Array.from({ length: 30 }, (_, i) => ({ id: `d${i}`, input: `${i}`, reference: `${i}` }));

async function cli(...args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [join(root, 'node_modules/tsx/dist/cli.mjs'), join(root, 'src/cli.ts'), ...args],
      { cwd: root, timeout: 60_000 },
    );
    return { code: 0, out: stdout + stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, out: err.stdout + err.stderr };
  }
}

describe('a dead candidate never passes', () => {
  it('every call failed: compare reports n = 0, the CLI exits 1 and the matchers fail with the reason', async () => {
    const base = await evaluate(data, async (x) => String(x), [exactMatch()], { progress: false });
    const client = new OpenAI({ baseURL: url, apiKey: 'x' });
    const dead = await evaluate(data, openaiModel({ client, model: 'gone' }), [exactMatch()], {
      maxFailureRate: 1,
      progress: false,
    });
    expect(dead.nFailed).toBe(30);
    const cmp = compare(base, dead, { margin: 0.05, resamples: 200 });
    expect(cmp.metrics.exact_match!.n).toBe(0);
    expect(() => expect(cmp).toBeNonInferior()).toThrow(/"exact_match" cannot be judged: no row was scored/);
    expect(() => expect(dead).toHaveLowerBoundAtLeast('exact_match', 0)).toThrow(/cannot be judged/);

    const dir = await mkdtemp(join(tmpdir(), 'evalgate-dead-'));
    await saveResult(base, join(dir, 'base.json'));
    await saveResult(dead, join(dir, 'dead.json'));
    const r = await cli('compare', join(dir, 'base.json'), join(dir, 'dead.json'), '--margin', '0.05');
    expect(r.code).toBe(1);
    expect(r.out).toContain('exact_match: cannot be compared: no row was scored on both sides (n = 0)');
  });

  it('every judge score missing: the comparison fails the gate on that metric', async () => {
    const judge = (value: () => number): Metric => ({ name: 'judge', kind: 'continuous', score: value });
    const echo = async (x: unknown) => String(x);
    const base = await evaluate(data, echo, [judge(() => 4)], { progress: false });
    const cand = await evaluate(data, echo, [judge(() => Number.NaN)], { progress: false });
    const cmp = compare(base, cand, { resamples: 200 });
    expect(() => expect(cmp).not.toBeSignificantlyBetter()).toThrow(/"judge" cannot be judged/);
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-dead-'));
    await saveResult(base, join(dir, 'base.json'));
    await saveResult(cand, join(dir, 'cand.json'));
    const r = await cli('compare', join(dir, 'base.json'), join(dir, 'cand.json'));
    expect(r.code).toBe(1);
    expect(r.out).toContain('judge: cannot be compared');
  });
});
