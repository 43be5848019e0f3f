// "No secret in any output" where Redis is involved: a redis-server whose password is the secret, a redisCache
// and a cluster run on a URL holding it. Nothing the run leaves may hold it: the
// result and its records (the workers' records come back through Redis), every key and value left in Redis (the
// cache's entries, the queue), stderr and warnings, the workers' log lines, and the errors (with their causes)
// of a cache and a cluster given a wrong password, nor the `evalgate worker` command's output on one.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import { runWorker } from '../../src/cluster/runWorker.js';
import { evaluate, renderHtmlReport, saveResult } from '../../src/index.js';
import { redisServer } from '../_system.js';
import { evalgate } from '../cli/_runCli.js';
import { startRedis } from '../cluster/_cluster.js';
import { metrics, model, SAME_TASK } from '../cluster/_sameTask.js';

const redisReq = redisServer('the secrets suite runs a cluster on a Redis with a password');
const dir = mkdtempSync(join(tmpdir(), 'evalgate-cluster-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A password shaped like no known credential: only exact hiding can catch it. */
const SECRET = `LEAKCHECK${Date.now().toString(16)}${Math.random().toString(16).slice(2, 14)}`;

/** Messages and stacks of `err` and its causes. */
function chain(err: unknown): string[] {
  const out: string[] = [];
  for (let e = err, depth = 0; e !== undefined && e !== null && depth < 8; depth++) {
    out.push(String((e as Error).message), String((e as Error).stack));
    e = (e as Error).cause;
  }
  return out;
}

describe.skipIf(redisReq.skip)('a Redis password in the cluster and cache URLs', () => {
  it('reaches no result, record, Redis key or value, log line or error', async () => {
    const redis = await startRedis(redisReq.executable(), {
      args: ['--requirepass', SECRET],
      auth: `:${SECRET}@`,
    });
    const out: string[] = [];
    const logs: string[] = [];
    const worker = await runWorker({
      redis: redis.url,
      task: SAME_TASK,
      concurrency: 2,
      onRetry: (line) => logs.push(line),
    });
    const printed = vi.spyOn(process.stderr, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const warned = vi.spyOn(console, 'warn').mockImplementation((...a) => {
      out.push(a.map(String).join(' '));
    });
    const wrong = redis.url.replace(SECRET, `${SECRET}0`);
    try {
      const rows = Array.from({ length: 8 }, (_, i) => ({
        id: `r${i}`,
        input: { q: `q${i}`, fail: i === 2 },
        reference: `echo q${i}`,
        metadata: { topic: 'geo' },
      }));
      const records = join(dir, 'records.jsonl');
      const result = await evaluate(rows, model, metrics, {
        progress: false,
        cluster: { redis: redis.url, task: SAME_TASK, chunkSize: 2 },
        cache: redisCache({ url: redis.url }),
        output: records,
        maxFailureRate: 1,
      });
      expect(result.n, 'every row ran').toBe(8);
      await saveResult(result, join(dir, 'result.json'));
      out.push(
        JSON.stringify(result),
        renderHtmlReport(result),
        readFileSync(join(dir, 'result.json'), 'utf8'),
        readFileSync(records, 'utf8'),
      );
      for (const run of [
        () => evaluate(rows, model, metrics, { progress: false, cache: redisCache({ url: wrong }) }),
        () => evaluate(rows, model, metrics, { progress: false, cluster: { redis: wrong, task: SAME_TASK } }),
      ]) {
        const err = await run().then(
          () => new Error('the run with a wrong password succeeded'),
          (e: unknown) => e,
        );
        out.push(...chain(err));
      }
      for (const key of await redis.client.keys('*')) {
        out.push(key);
        const type = await redis.client.type(key);
        if (type === 'string') out.push(String(await redis.client.get(key)));
        else if (type === 'hash') out.push(JSON.stringify(await redis.client.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await redis.client.lrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await redis.client.xrange(key, '-', '+')));
        else if (type === 'zset') out.push(JSON.stringify(await redis.client.zrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.client.smembers(key)));
      }
    } finally {
      printed.mockRestore();
      warned.mockRestore();
      await worker.close();
    }
    const cli = await evalgate(['worker', SAME_TASK, '--redis', wrong, '--max-wait', '500'], 20_000);
    expect(cli.code, 'the worker gave up').not.toBe(0);
    out.push(cli.stdout, cli.stderr, ...logs);
    await redis.stop();
    const hits = out.flatMap((text) =>
      [SECRET, `${SECRET}0`]
        .map((s) => text.indexOf(s))
        .filter((at) => at >= 0)
        .map((at) => text.slice(Math.max(0, at - 160), at + SECRET.length + 20)),
    );
    expect(hits).toEqual([]);
  }, 90_000);
});
