// "No secret in any output", end to end: a small evaluate() in each set-up a user gives a credential in (the
// client's apiKey, a default header, the base URL's user info or query, a custom metric's definition), against the mock server and against a port that refuses, then every output gathered —
// the result (saveResult's file and result.config), the records file, the SQLite cache files, the error and its
// cause chain, stderr and console warnings, the HTML report, the Markdown summary, the text tables, a vitest
// matcher's message, the notebook display and the CLI's stdout / stderr on the saved file — and none may hold
// the secret, as written or URL-encoded (the CLI's on the mock server's runs: each command starts a child). The Redis set-up (a cache and a cluster with a password) is in
// clusterSecrets.e2e.test.ts.
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import fc from 'fast-check';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sqliteCache } from '../../src/cache/index.js';
import {
  compare,
  type EvalResult,
  evaluate,
  formatComparisonTable,
  formatResultTable,
  type Metric,
  type Model,
  markdownSummary,
  renderHtmlReport,
  resultBundle,
  saveResult,
  wrapAnthropic,
  wrapOpenAI,
} from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { evalgateMatchers } from '../../src/vitest/index.js';
import { evalgate } from '../cli/_runCli.js';

expect.extend(evalgateMatchers);

const dir = mkdtempSync(join(tmpdir(), 'evalgate-no-secret-'));
let mock: MockServer;
beforeAll(async () => {
  mock = await startMockServer({});
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A chat model over a wrapped OpenAI client. */
function chat(client: OpenAI): Model {
  const c = wrapOpenAI(client);
  return async (input) =>
    (
      await c.chat.completions.create({
        model: 'gpt-4o-mini',
        messages: [{ role: 'user', content: String(input) }],
      })
    ).choices[0]?.message.content ?? '';
}

/** An OpenAI client on `origin` (the SDK's retries off: the run's retry policy is off too). */
const openai = (origin: string, more: Partial<ConstructorParameters<typeof OpenAI>[0]> = {}) =>
  new OpenAI({ apiKey: 'not-the-secret', baseURL: `${origin}/v1`, maxRetries: 0, ...more });

interface Setup {
  readonly model: Model;
  readonly metric?: Metric;
  /** The request never leaves (fetch refuses the URL), wherever it goes. */
  readonly refusedByFetch?: boolean;
}

/** Each way a user's set-up carries `secret`, talking to `origin`. */
const SETUPS: Readonly<Record<string, (origin: string, secret: string) => Setup>> = {
  'OpenAI apiKey': (o, s) => ({ model: chat(openai(o, { apiKey: s })) }),
  "Azure's api-key header": (o, s) => ({ model: chat(openai(o, { defaultHeaders: { 'api-key': s } })) }),
  'x-api-key header': (o, s) => ({ model: chat(openai(o, { defaultHeaders: { 'x-api-key': s } })) }),
  'Authorization: Bearer header': (o, s) => ({
    model: chat(openai(o, { defaultHeaders: { Authorization: `Bearer ${s}` } })),
  }),
  // fetch refuses a URL with user info: the run fails, and the error quotes the URL.
  'user info in the base URL': (o, s) => ({
    model: chat(openai(o, { baseURL: `${o.replace('://', `://gw:${encodeURIComponent(s)}@`)}/v1` })),
    refusedByFetch: true,
  }),
  '?api-key= in the base URL': (o, s) => ({
    model: chat(openai(o, { baseURL: `${o}/v1?api-key=${encodeURIComponent(s)}` })),
  }),
  '?key= in the base URL': (o, s) => ({
    model: chat(openai(o, { baseURL: `${o}/v1?tenant=a&key=${encodeURIComponent(s)}` })),
  }),
  'Anthropic apiKey': (o, s) => {
    const c = wrapAnthropic(new Anthropic({ apiKey: s, baseURL: o, maxRetries: 0 }));
    return {
      model: async (input) => {
        const r = await c.messages.create({
          model: 'claude-haiku-4-5',
          max_tokens: 16,
          messages: [{ role: 'user', content: String(input) }],
        });
        return r.content[0]?.type === 'text' ? r.content[0].text : '';
      },
    };
  },
  "a custom metric's definition": (o, s) => ({
    model: chat(openai(o)),
    metric: {
      name: 'judged',
      kind: 'binary',
      score: () => 1,
      definition: { judge: 'gpt-4o', judgeApiKey: s, client: { baseURL: o, password: s } },
    },
  }),
};

const ORIGINS: Readonly<Record<string, () => string>> = {
  'the mock server': () => mock.origin,
  'a refused port': () => 'http://127.0.0.1:9',
};

/**
 * Keys as providers shape them (`sk-…`, caught by their shape alone) and shapeless ones (Azure's hex, a
 * gateway's token), each with a marker so that a hit is unmistakable.
 */
const secretArb = fc
  .tuple(
    fc.constantFrom('sk-LEAKCHECK-', 'LEAKCHECK', 'leakcheck_'),
    fc.string({ unit: fc.constantFrom(...'abcdef0123456789ABCDEF'.split('')), minLength: 24, maxLength: 32 }),
  )
  .map(([prefix, body]) => `${prefix}${body}`);

/** Every text a run in `setup` leaves behind: thrown, printed, written, rendered. */
async function outputsOf(setup: Setup, where: string, secret: string, cli: boolean): Promise<string[]> {
  const out: string[] = [];
  const printed = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  const warned = vi.spyOn(console, 'warn').mockImplementation((...a) => {
    out.push(a.map(String).join(' '));
  });
  const sub = mkdtempSync(join(dir, 'run-'));
  const metric: Metric = setup.metric ?? { name: 'any', kind: 'binary', score: () => 1 };
  const rows = ['q1', 'q2', 'q3'].map((input, i) => ({
    id: `r${i}`,
    input,
    reference: input,
  }));
  let result: EvalResult | undefined;
  try {
    result = await evaluate(rows, setup.model, [metric], {
      progress: false,
      trajectory: true,
      retry: { maxRetries: 0 },
      output: join(sub, 'records.jsonl'),
      cache: sqliteCache(join(sub, 'cache.sqlite')),
      maxFailureRate: 0,
    });
  } catch (err) {
    for (let e: unknown = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
      out.push(String((e as Error).message), String((e as Error).stack), JSON.stringify(e));
      e = (e as Error).cause;
    }
    result = (err as { result?: EvalResult }).result;
  } finally {
    printed.mockRestore();
    warned.mockRestore();
  }
  // fetch refuses a URL with user info: that set-up fails on the mock server too.
  if (where === 'the mock server' && setup.refusedByFetch !== true)
    expect(result?.nFailed, 'the run against the mock server succeeded').toBe(0);
  expect(result, 'a result, whole or partial').toBeDefined();
  const r = result!;
  out.push(JSON.stringify(r), JSON.stringify(r.config));
  const file = join(sub, 'result.json');
  await saveResult(r, file);
  out.push(
    renderHtmlReport(r),
    markdownSummary({ results: [{ ...r, name: 'run' }] }),
    formatResultTable(r),
    JSON.stringify(resultBundle(r)),
  );
  const comparison = compare(r, r);
  out.push(formatComparisonTable(comparison), markdownSummary({ comparisons: [{ name: 'c', comparison }] }));
  try {
    (
      expect(r) as unknown as { toHaveLowerBoundAtLeast(m: string, bar: number): void }
    ).toHaveLowerBoundAtLeast(metric.name, 2);
    out.push('the matcher passed a bar of 2');
  } catch (err) {
    out.push(String((err as Error).message));
  }
  if (cli) {
    // The command reads what saveResult wrote; one child per case (each starts tsx, seconds under load).
    copyFileSync(file, join(sub, 'candidate.json'));
    const compared = await evalgate(['compare', file, join(sub, 'candidate.json'), '--format', 'markdown']);
    out.push(compared.stdout, compared.stderr);
    const report = await evalgate(['report', file, '-o', join(sub, 'report.html')]);
    out.push(report.stdout, report.stderr);
  }
  // Every file the run and the commands wrote: records, result, report, the cache's database and its WAL.
  for (const f of readdirSync(sub)) out.push(readFileSync(join(sub, f), 'latin1'));
  expect(out.join('').length, `${secret}: outputs gathered`).toBeGreaterThan(0);
  return out;
}

/** Where in `texts` the secret shows (as written or URL-encoded), with what surrounds it. */
function leaks(texts: readonly string[], secret: string): string[] {
  const forms = [secret, encodeURIComponent(secret)];
  const found: string[] = [];
  for (const text of texts)
    for (const form of forms) {
      const at = text.indexOf(form);
      if (at >= 0) found.push(text.slice(Math.max(0, at - 160), at + form.length + 20));
    }
  return found;
}

describe('no secret in any output', () => {
  for (const [name, setup] of Object.entries(SETUPS))
    for (const [where, origin] of Object.entries(ORIGINS))
      it(`${name}, ${where}`, async () => {
        let runs = 0;
        await fc.assert(
          fc.asyncProperty(secretArb, async (secret) => {
            const texts = await outputsOf(
              setup(origin(), secret),
              where,
              secret,
              runs++ === 0 && where === 'the mock server',
            );
            expect(leaks(texts, secret)).toEqual([]);
          }),
          // The shapeless kinds first (only exact hiding catches them), then random ones.
          { seed: 4040, numRuns: 2, examples: [['LEAKCHECK0a1b2c3d4e5f60718293a4b5']] },
        );
      }, 120_000);
});
