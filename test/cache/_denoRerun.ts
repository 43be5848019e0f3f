// Run by sqliteDeno.test.ts with `deno run -A --unstable-sloppy-imports`: an evaluate() run against the mock
// server with a sqliteCache, then a rerun from the same file. Imports the sources (not dist/), so the test checks
// the code under test without a build. Prints one JSON line. The cache file is left at the path given as the first
// argument, for the test to read back with better-sqlite3 (same file format).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { _sqliteBackend } from '../../src/cache/_sqliteBackend.js';
import { sqliteCache } from '../../src/cache/index.js';
import { evaluate, openaiModel } from '../../src/index.js';
import { startMockServer } from '../../src/testing/index.js';
import { echoDataset, echoMatch, essence } from './_fixtures.js';

const server = await startMockServer({ latencyMs: 1 });
const dir = mkdtempSync(join(tmpdir(), 'evalgate-deno-'));
try {
  const path = process.argv[2] ?? join(dir, 'cache.sqlite');
  const model = openaiModel({
    model: 'gpt-4o-mini',
    client: new OpenAI({ baseURL: server.url, apiKey: 'sk-test' }),
    temperature: 0,
  });
  const run = async () => {
    server.reset();
    const cache = sqliteCache(path);
    const r = await evaluate(echoDataset(30), model, [echoMatch], {
      cache,
      progress: false,
      resamples: 100,
      concurrency: 4,
    });
    await cache.close();
    return {
      requests: server.stats.requests,
      totals: r.totals,
      essence: essence(r),
      mean: r.metrics.echo?.mean,
    };
  };
  const first = await run();
  const second = await run();
  console.log(
    JSON.stringify({
      runtime: `deno ${process.versions.deno}`,
      backend: _sqliteBackend(path).name,
      first: { requests: first.requests, totals: first.totals, mean: first.mean },
      second: { requests: second.requests, totals: second.totals, mean: second.mean },
      sameRows: JSON.stringify(first.essence) === JSON.stringify(second.essence),
    }),
  );
} finally {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
}
