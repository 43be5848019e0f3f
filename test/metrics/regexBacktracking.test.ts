// regexMatch on an output its pattern backtracks catastrophically on: JavaScript's regex engine backtracks, so
// /^(a+)+$/ on 'a' x 40 + '!' takes 2^40 steps (hours), and a synchronous match cannot be ended by
// metricTimeoutMs or an abort. The match now runs under a timeout (`timeoutMs`, 1 s by default) and is given up
// with a TimeoutError naming the limit; the run scores the other rows. The hang itself is only checked with a
// generous bound: a child process killed after 60 s.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../src/errors.js';
import { regexMatch, regexMatchScore } from '../../src/metrics/index.js';
import { check } from '../properties/_prop.js';
import { ctx } from './_helpers.js';

const EVIL = `${'a'.repeat(40)}!`;

describe('regexMatch: a catastrophically backtracking match is given up, not run forever', () => {
  it('evaluate() with default options scores the other rows and records E_TIMEOUT on that one', () => {
    const started = Date.now();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', join(import.meta.dirname, '_regexHangRun.ts')],
      {
        encoding: 'utf8',
        timeout: 60_000,
        maxBuffer: 1 << 20,
      },
    );
    expect(r.signal, `hang detector: the run was killed after ${Date.now() - started} ms`).toBeNull();
    expect(r.status, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as {
      id: string;
      scores: Record<string, number | null>;
      details: Record<string, { error?: { name: string; code: string; message: string } }> | null;
    }[];
    expect(rows.map((x) => [x.id, x.scores.regex_match])).toEqual([
      ['ok', 1],
      ['evil', null],
      ['no', 0],
      ['late', 1],
    ]);
    const error = rows[1]?.details?.regex_match?.error;
    expect(error?.code).toBe('E_TIMEOUT');
    expect(error?.message).toBe(
      'Metric `regex_match` on the output of example "evil": matching /^(a+)+$/ took longer than `timeoutMs` (1000 ms) on 41 UTF-16 units and was given up; the pattern backtracks catastrophically there (nested quantifiers such as (a+)+ do): rewrite it, or raise `timeoutMs`',
    );
    // A string pattern too; an output it does not backtrack on is scored.
    expect(rows.map((x) => x.scores.nested)).toEqual([0, 0, 0, 0]);
  }, 90_000);

  it('regexMatchScore and the metric throw a TimeoutError carrying the limit, within a generous bound', () => {
    const started = Date.now();
    let thrown: unknown;
    try {
      regexMatchScore(EVIL, /^(a+)+$/, { timeoutMs: 50 });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TimeoutError);
    expect(thrown).toMatchObject({ code: 'E_TIMEOUT', timeoutMs: 50 });
    expect((thrown as Error).message).toBe(
      'regexMatchScore: matching /^(a+)+$/ took longer than `timeoutMs` (50 ms) on 41 UTF-16 units and was given up; the pattern backtracks catastrophically there (nested quantifiers such as (a+)+ do): rewrite it, or raise `timeoutMs`',
    );
    const m = regexMatch('^(?:a|aa)+$', { timeoutMs: 20, fullMatch: true, name: 'alt' });
    expect(() => m.score(ctx(undefined, `${'a'.repeat(60)}b`, 'q7'))).toThrow(
      expect.objectContaining({ name: 'TimeoutError', exampleId: 'q7', timeoutMs: 20 }),
    );
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('timeoutMs is a number above 0; Infinity (or past 2^32 - 1 ms) matches without the guard', () => {
    for (const bad of [0, -1, Number.NaN])
      expect(() => regexMatch(/a/, { timeoutMs: bad })).toThrow(
        new RangeError(`Expected \`timeoutMs\` to be a number in (0, Infinity], got \`${bad}\` (number)`),
      );
    expect(() => regexMatchScore('a', /a/, { timeoutMs: '100' as never })).toThrow(
      new TypeError('Expected `timeoutMs` to be a number in (0, Infinity], got `"100"` (string)'),
    );
    expect(regexMatchScore('xa', /a/, { timeoutMs: Number.POSITIVE_INFINITY })).toBe(1);
    expect(regexMatchScore('xa', /a/, { timeoutMs: 2 ** 40 })).toBe(1);
  });

  it('the guarded match gives RegExp.prototype.test’s answer (seeded property)', () => {
    const sources = fc.constantFrom(
      'a+',
      '^a*$',
      '(ab|a)+b',
      '\\d{2,}',
      '^\\p{L}+$',
      '😀.',
      '[^\\s]+\\s',
      '(a|b)*c$',
      '',
    );
    const texts = fc.array(fc.constantFrom('a', 'b', 'c', '1', '2', ' ', '😀', 'é', '\n', '!'), {
      maxLength: 30,
    });
    check(
      'guarded regex test equals the plain one',
      300,
      fc.property(
        sources,
        texts,
        fc.boolean(),
        fc.constantFrom('', 'i', 'm', 's'),
        (src, parts, full, extra) => {
          const s = parts.join('');
          const wrap = full ? `^(?:${src})$` : src;
          const fromString = new RegExp(wrap, 'u').test(s) ? 1 : 0;
          const fromRegExp = new RegExp(wrap, `u${full ? extra.replace('m', '') : extra}`).test(s) ? 1 : 0;
          const re = new RegExp(src, `u${extra}g`);
          const unguarded = { fullMatch: full, timeoutMs: Number.POSITIVE_INFINITY };
          return (
            regexMatchScore(s, src, { fullMatch: full }) === fromString &&
            regexMatchScore(s, src, unguarded) === fromString &&
            regexMatchScore(s, re, { fullMatch: full }) === fromRegExp &&
            regexMatchScore(s, re, unguarded) === fromRegExp &&
            regexMatch(re, { fullMatch: full }).score(ctx(undefined, s)) === fromRegExp
          );
        },
      ),
    );
  });
});
