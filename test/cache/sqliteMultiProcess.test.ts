// Two processes write one SQLite cache at the same time: no entry is lost, nothing is corrupted.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rawSqlite, runTs } from './_sqlite.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-mp-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const child = new URL('./_writerChild.ts', import.meta.url).pathname;
const opener = new URL('./_openChild.ts', import.meta.url).pathname;

interface Writer {
  ready: Promise<void>;
  go(): void;
  done: Promise<{ started: number; ended: number }>;
}

function writer(path: string, name: string, n: number): Writer {
  const p = spawn(...runTs(child, [path, name, String(n)]), {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  p.stdout.on('data', (d) => {
    out += d;
    if (out.startsWith('ready\n')) markReady();
  });
  p.stderr.on('data', (d) => (err += d));
  const done = new Promise<{ started: number; ended: number }>((resolve, reject) => {
    p.on('error', reject);
    p.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.slice('ready\n'.length)))
        : reject(new Error(`writer ${name} exited ${code}: ${err}`)),
    );
  });
  return { ready: Promise.race([ready, done.then(() => {})]), go: () => p.stdin.end('go\n'), done };
}

describe('sqliteCache shared by two processes', () => {
  it('loses no entry and passes PRAGMA integrity_check', async () => {
    const path = join(dir, 'shared.sqlite');
    const n = 3000;
    const wa = writer(path, 'a', n);
    const wb = writer(path, 'b', n);
    await Promise.all([wa.ready, wb.ready]);
    wa.go();
    wb.go();
    const [a, b] = await Promise.all([wa.done, wb.done]);
    expect(a.started < b.ended && b.started < a.ended, 'the two writers overlapped in time').toBe(true);
    const db = rawSqlite(path, { readonly: true });
    try {
      expect(db.value('PRAGMA integrity_check')).toBe('ok');
      const count = (prefix: string) =>
        db.value('SELECT COUNT(*) FROM evalgate_responses WHERE key LIKE ?', `${prefix}-%`);
      expect(count('a')).toBe(n);
      expect(count('b')).toBe(n);
      expect(count('shared')).toBe(n);
      const get = {
        get: (key: string) => db.value('SELECT entry FROM evalgate_responses WHERE key = ?', key),
      };
      for (const j of [0, 1, 777, n - 1]) {
        expect(JSON.parse(get.get(`a-${j}`) as string)).toEqual({
          value: { writer: 'a', j, text: 'x'.repeat(j % 200) },
        });
        expect(JSON.parse(get.get(`b-${j}`) as string)).toEqual({
          value: { writer: 'b', j, text: 'x'.repeat(j % 200) },
        });
      }
    } finally {
      db.close();
    }
  });

  it('six processes creating one new cache file at the same moment all open it', async () => {
    const run = (path: string, name: string, startAt: number) =>
      new Promise<void>((resolve, reject) => {
        const p = spawn(...runTs(opener, [path, name, String(startAt)]), {
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('error', reject);
        p.on('exit', (code) =>
          code === 0 ? resolve() : reject(new Error(`opener ${name} exited ${code}: ${err}`)),
        );
      });
    for (let round = 0; round < 4; round++) {
      const path = join(dir, `fresh-${round}.sqlite`);
      // Every process spins until the same instant, so their opens collide within a millisecond.
      const startAt = Date.now() + 2500;
      await Promise.all(Array.from({ length: 6 }, (_, k) => run(path, `p${k}`, startAt)));
      const db = rawSqlite(path, { readonly: true });
      try {
        expect(db.value("SELECT COUNT(*) FROM evalgate_responses WHERE key LIKE 'open-%'")).toBe(6);
      } finally {
        db.close();
      }
    }
  }, 120_000); // 24 child processes: their start-up alone can take most of a minute on a loaded machine
});
