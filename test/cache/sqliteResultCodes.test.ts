/**
 * SQLite's result codes named the same whichever backend reports them: better-sqlite3 gives the name
 * (`SQLITE_IOERR_WRITE`), Node's node:sqlite only the number (`errcode` 778), Deno's node:sqlite only the text.
 *
 * Regression: node:sqlite's extended codes other than SQLITE_READONLY_DIRECTORY were named `SQLITE_<number>`
 * unless their primary code was one of seven: a full disk on Node.js 24 read "SQLITE_778: disk I/O error" where
 * Node.js 20 (better-sqlite3) read "SQLITE_IOERR_WRITE: disk I/O error" (found running the whole suite on 24:
 * test/cache/sqliteFullDisk). And decisions compared names: an extended busy code (SQLITE_BUSY_RECOVERY) was not
 * retried as SQLITE_BUSY is.
 * Reference: CPython 3.11's sqlite3 constants (test/cache/fixtures/gen_sqlite_result_codes.py).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { _sqliteErrorCode, _sqlitePrimaryCode } from '../../src/cache/_sqliteBackend.js';

const fixture = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures/sqliteResultCodes.json'), 'utf8'),
) as { codes: Record<string, number> };
const codes = Object.entries(fixture.codes);
const byNumber = new Map(codes.map(([name, n]) => [n, name]));

/** An error as node:sqlite throws it: only the number. */
const nodeSqliteError = (errcode: number) =>
  Object.assign(new Error('some SQLite failure'), { code: 'ERR_SQLITE_ERROR', errcode });
/** An error as better-sqlite3 throws it: the name. */
const betterSqliteError = (code: string) => Object.assign(new Error('some SQLite failure'), { code });

describe('SQLite result codes', () => {
  it('the fixture holds the codes this test relies on', () => {
    expect(codes.length).toBeGreaterThan(100);
    expect(fixture.codes.SQLITE_IOERR_WRITE).toBe(778);
  });

  it.each(codes)('node:sqlite errcode of %s (%i) is named as better-sqlite3 names it', (name, n) => {
    expect(_sqliteErrorCode(nodeSqliteError(n))).toBe(name);
  });

  it.each(codes)(
    'the primary code of %s (%i) is the code of its low byte, from either backend',
    (name, n) => {
      const primary = byNumber.get(n & 0xff);
      expect(primary).toBeDefined();
      expect(_sqlitePrimaryCode(nodeSqliteError(n))).toBe(primary);
      expect(_sqlitePrimaryCode(betterSqliteError(name))).toBe(primary);
    },
  );

  it('an extended code newer than the table is named by its primary code, never by a bare number', () => {
    // Extended code 60 of SQLITE_IOERR: not assigned by any SQLite yet.
    expect(_sqliteErrorCode(nodeSqliteError(10 | (60 << 8)))).toBe('SQLITE_IOERR');
    expect(_sqliteErrorCode(nodeSqliteError(8714))).toBe('SQLITE_IOERR_IN_PAGE');
  });

  it("Deno's message-only errors: a full disk and an I/O error are named", () => {
    const deno = (message: string) => Object.assign(new Error(message), { code: 'ERR_SQLITE_ERROR' });
    expect(_sqliteErrorCode(deno('database or disk is full'))).toBe('SQLITE_FULL');
    expect(_sqliteErrorCode(deno('disk I/O error'))).toBe('SQLITE_IOERR');
  });
});
