// Child process of resume.test.ts: evaluates `n` echo examples against the mock server at `url` with a SQLite
// cache, printing each finished example id on its own line, then the totals as JSON.
import OpenAI from 'openai';
import { sqliteCache } from '../../src/cache/index.js';
import { evaluate, openaiModel } from '../../src/index.js';
import { echoDataset, echoMatch } from './_fixtures.js';

const [url, path, nText] = process.argv.slice(2) as [string, string, string];
const cache = sqliteCache(path);
const result = await evaluate(
  echoDataset(Number(nText)),
  openaiModel({ model: 'gpt-4o-mini', client: new OpenAI({ baseURL: url, apiKey: 'test' }) }),
  [echoMatch],
  {
    concurrency: 4,
    cache,
    progress: false,
    resamples: 100,
    onResult: (r) => {
      process.stdout.write(`done ${r.id}\n`);
    },
  },
);
await cache.close();
process.stdout.write(
  `${JSON.stringify({ n: result.n, nFailed: result.nFailed, mean: result.metrics.echo?.mean, totals: result.totals })}\n`,
);
