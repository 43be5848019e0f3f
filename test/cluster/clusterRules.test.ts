// The rules of a cluster run that need no Redis, as properties: a connection URL's secret never shows in its
// redacted form; the JSON-carry check accepts exactly what survives JSON unchanged; the fingerprint covers the
// task module's content. (Each shrunk counterexample fast-check found while writing these is a case below.)
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _redactIn, _redactUrl } from '../../src/_internal/redisConnection.js';
import { _jsonCarryProblem } from '../../src/cluster/_jsonCarry.js';
import { _fingerprint, _fingerprintMismatch, _wireError } from '../../src/cluster/_protocol.js';
import { ClusterError, evaluate, type Metric } from '../../src/index.js';

const RUNS = { seed: 20261204, numRuns: 500 } as const;

/** A secret that cannot be mistaken for any other part of the URL built around it. */
const secretArb = fc
  .string({ minLength: 1, maxLength: 24, unit: 'grapheme' })
  .map((s) => `S3cr3t${s}`)
  .filter((s) => !s.includes('\u0000'));
const userArb = fc.option(fc.stringMatching(/^[a-z][a-z0-9_-]{0,11}$/), { nil: undefined });
const hostArb = fc.oneof(
  fc.constant('127.0.0.1'),
  fc.stringMatching(/^[a-z][a-z0-9-]{0,15}(\.[a-z]{2,6}){0,2}$/),
);

describe('_redactUrl: one rule for every connection URL', () => {
  it('never shows the password, raw or percent-encoded, of any redis:// / rediss:// URL', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('redis://', 'rediss://'),
        userArb,
        secretArb,
        fc.boolean(),
        hostArb,
        fc.integer({ min: 1, max: 65_535 }),
        fc.option(fc.integer({ min: 0, max: 15 }), { nil: undefined }),
        (scheme, user, secret, encode, host, port, db) => {
          const pass = encode ? encodeURIComponent(secret) : secret;
          const url = `${scheme}${user ?? ''}:${pass}@${host}:${port}${db === undefined ? '' : `/${db}`}`;
          const shown = _redactUrl(url);
          expect(shown).not.toContain(secret);
          expect(shown).not.toContain(pass);
          // still says where: scheme, user, host and port survive
          expect(shown).toContain(`${scheme}${user === undefined ? '' : `${user}:`}***@${host}:${port}`);
          // a message a dependency built around the URL, or around the password alone, hides it too
          const message = `connect to ${url} failed; AUTH ${secret} refused; ${pass}`;
          const safe = _redactIn(message, url);
          expect(safe).not.toContain(secret);
          expect(safe).not.toContain(pass);
        },
      ),
      RUNS,
    );
  });

  it('regression (shrunk): an encoded password alone in a message is hidden too', () => {
    const url = 'redis://:S3cr3t%20@a:1';
    expect(_redactIn('AUTH S3cr3t%20 and S3cr3t ', url)).toBe('AUTH *** and ***');
  });

  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:pw@10.0.0.5:6379/2', 'redis://***@10.0.0.5:6379/2'],
    ['redis://app:pw@h:1', 'redis://app:***@h:1'],
    ['rediss://app:p@ss:w/rd#x@h:6380', 'rediss://app:***@h:6380'],
    ['redis://onlysecret@h:1', 'redis://***@h:1'],
    ['redis://h:1/?password=pw', 'redis://h:1/?password=***'],
    ['not a url, maybe a password', '<redis url>'],
  ])('%s -> %s', (url, shown) => {
    expect(_redactUrl(url)).toBe(shown);
  });

  it('a bad `cluster.redis` is echoed redacted in the TypeError', async () => {
    const err = await evaluate([{ input: 'x' }], async () => 'y', [], {
      cluster: { redis: 'http://app:hunter2@h:1', task: 'x.ts' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toContain('"http://app:***@h:1" (string)');
    expect((err as Error).message).not.toContain('hunter2');
  });
});

describe('_jsonCarryProblem: exactly what JSON carries unchanged', () => {
  /** Whether JSON gives `v` back deeply, strictly equal. */
  const roundTrips = (v: unknown): boolean => {
    let text: string | undefined;
    try {
      text = JSON.stringify(v);
    } catch {
      return false; // BigInt, cycles
    }
    return text !== undefined && isDeepStrictEqual(JSON.parse(text), v);
  };

  it('accepts v iff JSON.parse(JSON.stringify(v)) deep-equals v (fc.anything, incl. Date, Map, Set, -0, NaN, BigInt, sparse arrays, undefined)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withTypedArray: true,
          withSparseArray: true,
          withBoxedValues: true,
          withObjectString: true,
        }),
        (v) => {
          expect(_jsonCarryProblem(v, 'x') === undefined).toBe(roundTrips(v));
        },
      ),
      RUNS,
    );
  });

  it('accepts every JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        // fc.jsonValue may produce -0, which JSON carries as 0: the one JSON-shaped value refused
        const hasNegZero = JSON.stringify(v, (_k, x) => (Object.is(x, -0) ? '__neg0__' : x)).includes(
          '__neg0__',
        );
        expect(_jsonCarryProblem(v, 'x') === undefined).toBe(!hasNegZero);
      }),
      RUNS,
    );
  });

  class Point {
    constructor(readonly x: number) {}
  }
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  it.each([
    [{ when: new Date(0) }, 'input.when: a Date (JSON carries it as a string)'],
    [{ m: new Map([[1, 2]]) }, 'input.m: a Map (JSON carries it as {})'],
    [{ s: new Set([1]) }, 'input.s: a Set (JSON carries it as {})'],
    [{ a: [1, undefined] }, 'input.a[1]: undefined'],
    [{ 'a b': { c: Number.NaN } }, 'input["a b"].c: NaN'],
    [{ z: -0 }, 'input.z: -0 (JSON carries it as 0)'],
    [{ big: 10n }, 'input.big: a BigInt'],
    [{ p: new Point(1) }, 'input.p: an instance of Point'],
    [{ f: () => 1 }, 'input.f: a function'],
    [cyclic, 'input.self: a cyclic reference'],
  ])('refuses %o naming the path', (value, problem) => {
    expect(_jsonCarryProblem(value, 'input')).toContain(problem);
  });

  it('accepts shared (non-cyclic) references and null-prototype objects', () => {
    const shared = { k: 1 };
    expect(_jsonCarryProblem({ a: shared, b: [shared] }, 'input')).toBeUndefined();
    expect(_jsonCarryProblem(Object.assign(Object.create(null), { a: 1 }), 'input')).toBeUndefined();
  });
});

describe('fingerprint: the task module content, not only its name', () => {
  const metrics: Metric[] = [{ name: 'm', kind: 'binary', score: () => 1 }];
  it('two files with the same name and other content mismatch; the same content matches', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'evalgate-fp-'));
    try {
      await writeFile(join(dir, 'a.ts'), 'export const x = 1;\n');
      await writeFile(join(dir, 'b.ts'), 'export const x = 1;\n');
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(dir, 'other'));
      await writeFile(join(dir, 'other', 'a.ts'), 'export const x = 2;\n');
      await writeFile(join(dir, 'same.ts'), 'export const x = 1;\n');
      const a = await _fingerprint(join(dir, 'a.ts'), metrics);
      const aAgain = await _fingerprint(`file://${join(dir, 'a.ts')}`, metrics);
      const otherA = await _fingerprint(join(dir, 'other', 'a.ts'), metrics);
      expect(_fingerprintMismatch(a, aAgain)).toBeUndefined();
      expect(_fingerprintMismatch(a, otherA)).toMatch(/task "a.ts" has other content on the worker/);
      expect(a.taskSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(a.evalgateVersion).toMatch(/^\d+\.\d+\.\d+/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a task module that cannot be read is a ClusterError naming it', async () => {
    const err = await _fingerprint('/nonexistent/task.ts', metrics).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).reason).toBe('unsupported');
    expect((err as Error).message).toMatch(/Cannot read the task module "\/nonexistent\/task.ts"/);
  });
});

describe('_wireError: what a worker puts into Redis', () => {
  it("hides a provider key the error's message echoes, and keeps the rest", () => {
    const key = 'sk-proj-Wire0123456789abcdefghij';
    const wire = _wireError(
      Object.assign(new Error(`401 Incorrect API key provided: Bearer ${key}`), { status: 401 }),
    );
    expect(wire).toEqual({
      name: 'Error',
      message: '401 Incorrect API key provided: Bearer ***',
      status: 401,
    });
    expect(JSON.stringify(_wireError(`thrown ${key}`))).not.toContain(key);
  });
});
