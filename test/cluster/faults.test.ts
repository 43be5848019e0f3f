// Cluster runs against faults, on the real parts on 127.0.0.1: redis-server processes this suite starts (and
// kills, restarts empty, locks with a password), the mock server, workers in this process (runWorker) and as
// the CLI (`evalgate worker`), and a coordinator in its own process for kill -9. Every wait is bounded and
// every timing is asserted with a generous window and a message.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import { type ClusterWorker, runWorker } from '../../src/cluster/runWorker.js';
import { ClusterError, type EvalResult, evaluate, SegmentError } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { redisServer } from '../_system.js';
import { freePort, type RedisProcess, startRedis, startWorkers, TASK } from './_cluster.js';

type Task = typeof import('./_task.js');
let model: Task['model'];
let metrics: Task['metrics'];
let taskDataset: Task['taskDataset'];

const ROOT = resolve(import.meta.dirname, '../..');
const TSX = join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const CLI = join(ROOT, 'src/cli.ts');
const redisReq = redisServer('the cluster fault suite starts, kills and restarts its own redis-server');
const common = { progress: false, resamples: 50, seed: 3 } as const;

let mock: MockServer;
const chat = () => mock.requests.filter((e) => e.route === '/v1/chat/completions');
/** Requests of rows whose prompt starts with `prefix` (a test's own rows, not an earlier test's stragglers). */
const chatOf = (prefix: string) =>
  chat().filter((e) =>
    String((e.body as { messages?: { content?: unknown }[] }).messages?.at(-1)?.content).startsWith(
      `${prefix} `,
    ),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `p` and measures how long it took to settle; the error, when it rejects. */
async function timed<T>(p: Promise<T>): Promise<{ ms: number; value?: T; error?: unknown }> {
  const t0 = Date.now();
  try {
    const value = await p;
    return { ms: Date.now() - t0, value };
  } catch (error) {
    return { ms: Date.now() - t0, error };
  }
}

/** `evalgate worker ...` run to its exit (killed after `ms`): exit code, output, time taken. */
function workerCli(args: string[], ms: number): Promise<{ code: number | null; out: string; ms: number }> {
  return new Promise((ok) => {
    const t0 = Date.now();
    const proc: ChildProcess = spawn(process.execPath, [TSX, CLI, 'worker', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EVALGATE_TEST_MOCK_URL: mock.url },
    });
    let out = '';
    proc.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    proc.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), ms);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      ok({ code, out, ms: Date.now() - t0 });
    });
  });
}

/** Workers in this process (faster to start than the CLI), closed by the test. */
async function inProcessWorkers(
  n: number,
  redis: string,
  extra: { queue?: string } = {},
): Promise<ClusterWorker[]> {
  return Promise.all(
    Array.from({ length: n }, () =>
      runWorker({ redis, task: TASK, concurrency: 8, lockDurationMs: 2000, maxWaitMs: 60_000, ...extra }),
    ),
  );
}

async function closeAll(workers: readonly ClusterWorker[]): Promise<void> {
  await Promise.all(workers.map((w) => Promise.race([w.close(), sleep(15_000)])));
}

describe.skipIf(redisReq.skip)('cluster faults on a real redis-server', () => {
  let shared: RedisProcess;
  let sharedWorkers: ClusterWorker[] = [];
  beforeAll(async () => {
    mock = await startMockServer({ latencyMs: 20, logBodies: true });
    process.env.EVALGATE_TEST_MOCK_URL = mock.url;
    ({ model, metrics, taskDataset } = await import('./_task.js'));
    shared = await startRedis(redisReq.executable());
    sharedWorkers = await inProcessWorkers(2, shared.url);
  }, 120_000);
  afterAll(async () => {
    await closeAll(sharedWorkers);
    await shared?.stop();
    await mock?.close();
  }, 60_000);

  it('unreachable Redis at start: fails within 10 s by default, names Redis without its password', async () => {
    const port = await freePort();
    mock.reset();
    const { ms, error } = await timed(
      evaluate(taskDataset(20), model, metrics, {
        ...common,
        cluster: { redis: `redis://app:hunter2-secret@127.0.0.1:${port}`, task: TASK },
      }),
    );
    expect(error).toBeInstanceOf(ClusterError);
    const e = error as ClusterError;
    expect(e.reason).toBe('redis-unreachable');
    expect(e.role).toBe('coordinator');
    expect(e.redis).toBe(`redis://app:***@127.0.0.1:${port}`);
    expect(e.message).toContain(`Redis redis://app:***@127.0.0.1:${port}`);
    expect(e.message).toMatch(/ECONNREFUSED/);
    expect(e.message).toMatch(/Check that redis-server runs/);
    expect(e.message).not.toContain('hunter2');
    expect(ms, `settled after ${ms} ms`).toBeLessThanOrEqual(12_000);
    expect(chat()).toHaveLength(0);
  }, 30_000);

  it('wrong password: the coordinator fails at once; the worker CLI exits 3 without stack floods or the password', async () => {
    const locked = await startRedis(redisReq.executable(), {
      args: ['--requirepass', 'right-pass-1'],
      auth: ':right-pass-1@',
    });
    try {
      const wrong = locked.url.replace('right-pass-1', 'wrong-pass-2');
      const { ms, error } = await timed(
        evaluate(taskDataset(5), model, metrics, { ...common, cluster: { redis: wrong, task: TASK } }),
      );
      expect(error).toBeInstanceOf(ClusterError);
      expect((error as ClusterError).reason).toBe('redis-unreachable');
      expect((error as Error).message).toMatch(/WRONGPASS|invalid username-password/);
      expect((error as Error).message).not.toContain('wrong-pass-2');
      expect((error as Error).message).not.toContain('right-pass-1');
      expect(ms, `coordinator settled after ${ms} ms`).toBeLessThanOrEqual(10_000);

      const cli = await workerCli([TASK, '--redis', wrong, '--max-wait', '3000'], 90_000);
      expect(cli.code, cli.out).toBe(3);
      expect(cli.out).toMatch(/evalgate: Cluster worker: Redis refused the user or password/);
      expect(cli.out).toMatch(/WRONGPASS|invalid username-password/);
      expect(cli.out).not.toContain('wrong-pass-2');
      expect(cli.out, 'no raw stack traces').not.toMatch(/^\s+at /m);
      expect(cli.out).not.toMatch(/Unhandled error event/);
      expect(cli.out.trim().split('\n').length, cli.out).toBeLessThanOrEqual(3);
    } finally {
      await locked.stop();
    }
  }, 120_000);

  it('worker CLI, Redis unreachable: one line per attempt with back-off, exits 3 after --max-wait', async () => {
    const port = await freePort();
    const cli = await workerCli(
      [TASK, '--redis', `redis://u:pw-never-shown@127.0.0.1:${port}`, '--max-wait', '3000'],
      90_000,
    );
    expect(cli.code, cli.out).toBe(3);
    const attempts = cli.out
      .split('\n')
      .filter((l) => /Redis unreachable .*attempt \d+, retrying in \d+ ms/.test(l));
    expect(attempts.length, cli.out).toBeGreaterThanOrEqual(2);
    expect(attempts.length, cli.out).toBeLessThanOrEqual(12);
    // back-off: the announced delays grow
    const delays = attempts.map((l) => Number(/retrying in (\d+) ms/.exec(l)![1]));
    expect(delays[1]!).toBeGreaterThan(delays[0]!);
    expect(cli.out).toMatch(/Redis did not answer within 3000 ms \(--max-wait\)/);
    expect(cli.out).not.toContain('pw-never-shown');
    expect(cli.out, 'no raw stack traces').not.toMatch(/^\s+at /m);
    expect(cli.out).not.toMatch(/Unhandled error event/);
  }, 120_000);

  it('Redis killed for good mid-run: evaluate settles with a ClusterError naming Redis; the worker gives up after its max wait', async () => {
    const doomed = await startRedis(redisReq.executable());
    const workers = await Promise.all([
      runWorker({ redis: doomed.url, task: TASK, concurrency: 8, lockDurationMs: 2000, maxWaitMs: 3000 }),
    ]);
    mock.reset();
    let killedAt = 0;
    let seen = 0;
    try {
      const { error } = await timed(
        evaluate(taskDataset(3000), model, metrics, {
          ...common,
          cluster: { redis: doomed.url, task: TASK, redisTimeoutMs: 2000 },
          onResult: () => {
            if (++seen === 100) {
              killedAt = Date.now();
              doomed.proc.kill('SIGKILL');
            }
          },
        }),
      );
      const settledMs = Date.now() - killedAt;
      expect(killedAt, 'Redis was killed mid-run').toBeGreaterThan(0);
      expect(error).toBeInstanceOf(ClusterError);
      const e = error as ClusterError;
      expect(e.reason).toBe('redis-lost');
      expect(['coordinator', 'reader', 'feeder']).toContain(e.role);
      expect(e.message).toContain(`(Redis ${doomed.url})`);
      expect(e.message).toMatch(/lost Redis for more than 2000 ms \(cluster\.redisTimeoutMs\)/);
      expect(settledMs, `settled ${settledMs} ms after the kill`).toBeLessThanOrEqual(15_000);
      const gaveUp = await Promise.race([workers[0]!.failed, sleep(20_000).then(() => undefined)]);
      expect(gaveUp, 'the worker gave up within 20 s').toBeInstanceOf(ClusterError);
      expect(gaveUp!.reason).toBe('redis-lost');
      expect(gaveUp!.message).toMatch(/lost Redis for more than 3000 ms \(--max-wait\)/);
    } finally {
      await closeAll(workers);
      await doomed.stop();
    }
  }, 90_000);

  it('worker CLI, Redis lost mid-run: one line per reconnect attempt, exits 3 after --max-wait, no stack floods', async () => {
    const doomed = await startRedis(redisReq.executable());
    const workerArgs = [TASK, '--redis', doomed.url, '--max-wait', '3000'];
    const proc = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', ...workerArgs], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, EVALGATE_TEST_MOCK_URL: mock.url },
    });
    let out = '';
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    proc.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const until = Date.now() + 60_000;
      while (!out.includes('evalgate worker ready') && Date.now() < until && proc.exitCode === null)
        await sleep(50);
      expect(out).toContain('evalgate worker ready');
      doomed.proc.kill('SIGKILL');
      const killedAt = Date.now();
      const code = await new Promise<number | null>((ok) => {
        const timer = setTimeout(() => proc.kill('SIGKILL'), 30_000);
        proc.once('exit', (c) => {
          clearTimeout(timer);
          ok(c);
        });
      });
      const ms = Date.now() - killedAt;
      expect(code, out).toBe(3);
      expect(ms, `exited ${ms} ms after Redis died`).toBeLessThanOrEqual(15_000);
      const lines = out
        .split('\n')
        .filter((l) => /lost Redis .* reconnecting in \d+ ms \(attempt \d+/.test(l));
      expect(lines.length, out).toBeGreaterThanOrEqual(2);
      expect(lines.length, out).toBeLessThanOrEqual(20);
      expect(out).toMatch(/lost Redis for more than 3000 ms \(--max-wait\)/);
      expect(out, 'no raw stack traces').not.toMatch(/^\s+at /m);
      expect(out).not.toMatch(/Unhandled error event/);
    } finally {
      proc.kill('SIGKILL');
      await doomed.stop();
    }
  }, 90_000);

  it('Redis restarted empty mid-run: reported as such (the run keys are gone), within seconds', async () => {
    const first = await startRedis(redisReq.executable());
    const port = Number(new URL(first.url).port);
    const workers = await inProcessWorkers(1, first.url);
    let second: RedisProcess | undefined;
    let restartedAt = 0;
    let seen = 0;
    try {
      const run = timed(
        evaluate(taskDataset(3000), model, metrics, {
          ...common,
          cluster: { redis: first.url, task: TASK, heartbeatTimeoutMs: 1000, redisTimeoutMs: 10_000 },
          onResult: () => {
            if (++seen === 100) {
              restartedAt = Date.now();
              first.proc.kill('SIGKILL');
            }
          },
        }),
      );
      while (restartedAt === 0) await sleep(20);
      await new Promise((r) =>
        first.proc.exitCode === null && first.proc.signalCode === null ? first.proc.once('exit', r) : r(0),
      );
      second = await startRedis(redisReq.executable(), { port });
      const { error } = await run;
      const settledMs = Date.now() - restartedAt;
      expect(error).toBeInstanceOf(ClusterError);
      expect((error as ClusterError).reason).toBe('redis-reset');
      expect((error as Error).message).toMatch(/Redis no longer holds this run's keys/);
      expect((error as Error).message).toMatch(/appendonly yes/);
      expect(settledMs, `settled ${settledMs} ms after the restart`).toBeLessThanOrEqual(15_000);
    } finally {
      await closeAll(workers);
      await first.stop();
      await second?.stop();
    }
  }, 90_000);

  it('a failure in the reader (an object as segment key) stops the run instead of hanging the feeder', async () => {
    mock.reset();
    const { ms, error } = await timed(
      evaluate(taskDataset(2000), model, metrics, {
        ...common,
        segmentBy: () => ({ not: 'a label' }) as unknown as string,
        cluster: { redis: shared.url, task: TASK, chunkSize: 8, maxChunksInFlight: 2 },
      }),
    );
    expect(error).toBeInstanceOf(SegmentError);
    expect(ms, `settled after ${ms} ms`).toBeLessThanOrEqual(20_000);
  }, 40_000);

  it('budget stop: every response the server answered is recorded and cached; a rerun pays only for the rest', async () => {
    mock.reset();
    mock.setOptions({ latencyMs: 150 });
    const n = 400;
    const cache = redisCache({ url: shared.url, prefix: 'budget:cache:' });
    try {
      const stopped: EvalResult = await evaluate(taskDataset(n, 'budget'), model, metrics, {
        ...common,
        cache,
        budget: { maxRequests: 60 },
        cluster: { redis: shared.url, task: TASK, chunkSize: 8 },
      });
      const answered = chatOf('budget').length;
      const recorded = stopped.examples.filter((r) => r.error === undefined).length;
      const failed = stopped.examples.filter((r) => r.error !== undefined);
      expect(failed.map((r) => r.error?.message).slice(0, 3), 'rows recorded failed').toEqual([]);
      expect(stopped.run.stoppedBy).toBe('budget');
      expect(answered, 'requests the mock answered').toBeGreaterThanOrEqual(60);
      expect(recorded, `records (${recorded}) = responses answered (${answered})`).toBe(answered);
      expect(stopped.totals.requests, 'totals = what was paid').toBe(answered);
      expect((await cache.stats()).size, 'every answered response is cached').toBe(answered);

      mock.reset();
      mock.setOptions({ latencyMs: 20 });
      const rerun: EvalResult = await evaluate(taskDataset(n, 'budget'), model, metrics, {
        ...common,
        cache,
        cluster: { redis: shared.url, task: TASK },
      });
      expect(rerun.totals.cacheHits, 'records + cache hits = responses answered').toBe(answered);
      expect(chatOf('budget'), 'the rerun pays only for the rows not answered before').toHaveLength(
        n - answered,
      );
      expect(rerun.n).toBe(n);
    } finally {
      mock.setOptions({ latencyMs: 20 });
      await cache.close();
    }
  }, 90_000);

  it('abort stop: calls already sent finish and are recorded; only calls not yet sent are cancelled', async () => {
    mock.setOptions({ latencyMs: 150 });
    const controller = new AbortController();
    let seen = 0;
    try {
      const result = await evaluate(taskDataset(400, 'abort'), model, metrics, {
        ...common,
        signal: controller.signal,
        cluster: { redis: shared.url, task: TASK, chunkSize: 8 },
        onResult: () => {
          if (++seen === 30) controller.abort(new Error('enough'));
        },
      });
      const answered = chatOf('abort').length;
      expect(result.run.stoppedBy).toBe('abort');
      expect(result.examples.filter((r) => r.error !== undefined)).toEqual([]);
      expect(result.examples.length, `records = responses answered (${answered})`).toBe(answered);
      expect(result.totals.requests).toBe(answered);
      expect(answered).toBeLessThan(400);
    } finally {
      mock.setOptions({ latencyMs: 20 });
    }
  }, 60_000);

  it('examples JSON cannot carry (Date, Map) are refused before any call, naming the example and field', async () => {
    mock.reset();
    const err = await evaluate(
      [
        { id: 'ok', input: 'fine' },
        { id: 'dated', input: { when: new Date(0) } },
      ],
      model,
      metrics,
      { ...common, cluster: { redis: shared.url, task: TASK } },
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).reason).toBe('not-carried');
    expect((err as ClusterError).exampleId).toBe('dated');
    expect((err as Error).message).toMatch(
      /Example "dated" \(dataset row 1\) cannot travel .*example\.input\.when: a Date \(JSON carries it as a string\)/,
    );
    async function* lazily() {
      yield { id: 'a', input: 'x' };
      yield { id: 'mapped', input: 'y', metadata: { tags: new Map([['k', 1]]) } };
    }
    const lazy = await evaluate(lazily(), model, metrics, {
      ...common,
      cluster: { redis: shared.url, task: TASK, chunkSize: 4 },
    }).catch((e: unknown) => e);
    expect(lazy).toBeInstanceOf(ClusterError);
    expect((lazy as Error).message).toMatch(
      /"mapped".*example\.metadata\.tags: a Map \(JSON carries it as \{\}\)/,
    );
    expect(chat(), 'requests sent').toHaveLength(0);
  }, 30_000);

  it('gate with cluster is refused at the start, before any call', async () => {
    mock.reset();
    const err = await evaluate(taskDataset(50), model, metrics, {
      ...common,
      gate: { metric: 'exact', atLeast: 0.5 },
      cluster: { redis: shared.url, task: TASK },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).reason).toBe('unsupported');
    expect((err as Error).message).toMatch(/`gate` is not supported with `cluster`/);
    expect(chat()).toHaveLength(0);
  });

  it('a worker whose task module has the same file name but other code is refused (content fingerprint)', async () => {
    // Inside node_modules/.cache, so the copy resolves the same packages (openai) as the original.
    await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
    const dir = await mkdtemp(join(ROOT, 'node_modules/.cache/evalgate-task-'));
    try {
      const src = await readFile(TASK, 'utf8');
      const copy = join(dir, '_task.ts');
      await writeFile(
        copy,
        `${src.replace("'../../src/index.js'", JSON.stringify(join(ROOT, 'src/index.ts')))}\n// changed\n`,
      );
      const [other] = await startWorkers(1, {
        redis: shared.url,
        mockUrl: mock.url,
        task: copy,
        queue: 'changed',
      });
      try {
        mock.reset();
        const err = await evaluate(taskDataset(20), model, metrics, {
          ...common,
          cluster: { redis: shared.url, task: TASK, queue: 'changed' },
        }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(ClusterError);
        expect((err as ClusterError).reason).toBe('mismatch');
        expect((err as Error).message).toMatch(/task "_task.ts" has other content on the worker/);
        expect(chat()).toHaveLength(0);
      } finally {
        await other!.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('coordinator kill -9: workers stop paying within seconds, every key expires, a rerun pays only for the rest', async () => {
    const own = await startRedis(redisReq.executable());
    const workers = await inProcessWorkers(2, own.url);
    const n = 3000;
    mock.reset();
    mock.setOptions({ latencyMs: 40 });
    // `node --import tsx`, one process: `tsx <file>` would run the coordinator in a grandchild kill -9 misses.
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/cluster/_coordinatorChild.ts')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          REDIS_URL: own.url,
          EVALGATE_TEST_MOCK_URL: mock.url,
          ROWS: String(n),
          HEARTBEAT_MS: '2000',
          PREFIX: 'kill',
        },
      },
    );
    let out = '';
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on('data', (b: Buffer) => {
      out += b.toString();
    });
    try {
      const until = Date.now() + 60_000;
      while (chatOf('kill').length < 300 && Date.now() < until && child.exitCode === null) await sleep(50);
      expect(
        chatOf('kill').length,
        `the coordinator's run got going; its output: ${out}`,
      ).toBeGreaterThanOrEqual(300);
      child.kill('SIGKILL');
      const killedAt = Date.now();
      // Workers abandon the run once its heartbeat (2 s) is gone: allow 2 heartbeats and the calls in flight.
      await sleep(6000);
      const after = chatOf('kill').length;
      await sleep(3000);
      expect(chatOf('kill').length, `requests 6-9 s after the kill (${after} at 6 s)`).toBe(after);
      expect(after, 'requests paid for the dead run').toBeLessThan(n);
      const keys = await own.client.keys('evalgate:run:*');
      expect(keys.length, 'the run left keys to check').toBeGreaterThan(0);
      for (const key of keys) expect(await own.client.pttl(key), `${key} has an expiry`).toBeGreaterThan(0);
      expect(Date.now() - killedAt).toBeLessThan(20_000);

      // The rerun shares the cache: answers the workers cached are not paid again.
      const cached = await own.client.hlen('kill:cache:entries');
      mock.reset();
      mock.setOptions({ latencyMs: 5 });
      const cache = redisCache({ url: own.url, prefix: 'kill:cache:' });
      const rerun = await evaluate(taskDataset(n, 'kill'), model, metrics, {
        ...common,
        cache,
        cluster: { redis: own.url, task: TASK },
      });
      await cache.close();
      expect(rerun.totals.cacheHits).toBe(cached);
      expect(chatOf('kill'), 'the rerun pays only for what was not cached').toHaveLength(n - cached);
      expect(cached, 'most of what was paid is reused').toBeGreaterThanOrEqual(after - 16);
    } finally {
      child.kill('SIGKILL');
      mock.setOptions({ latencyMs: 20 });
      await closeAll(workers);
      await own.stop();
    }
  }, 180_000);

  it('a corrupted redisCache entry is reported naming Redis without the password', async () => {
    // `default` is a nopass user here: any password is accepted, so the URL carries one to leak
    const url = shared.url.replace('redis://', 'redis://default:Leak-Me-123@');
    const cache = redisCache({ url, prefix: 'leak:' });
    try {
      await shared.client.hset('leak:entries', 'k1', '{not json');
      const err = await cache.get('k1').catch((e: unknown) => e);
      expect((err as Error).message).toContain(`redis://default:***@127.0.0.1:`);
      expect((err as Error).message).not.toContain('Leak-Me-123');
    } finally {
      await cache.close();
    }
  });

  it('ACL user + password: the run works, and the password is in no output, result or stored value', async () => {
    const pw = 'Acl-Secret-9f3e';
    const own = await startRedis(redisReq.executable());
    await own.client.call('ACL', 'SETUSER', 'app', 'on', `>${pw}`, '~*', '&*', '+@all');
    const url = own.url.replace('redis://', `redis://app:${pw}@`);
    const admin = new Redis(url, { maxRetriesPerRequest: 1 });
    await admin.call('ACL', 'SETUSER', 'default', 'off'); // from now on only the ACL user gets in
    const [worker] = await startWorkers(1, { redis: url, mockUrl: mock.url });
    const cache = redisCache({ url, prefix: 'acl:cache:' });
    const stored: string[] = [];
    try {
      mock.reset();
      let looked = false;
      const result = await evaluate(taskDataset(60), model, metrics, {
        ...common,
        cache,
        rateLimit: { rpm: 100_000, windowMs: 5000 },
        cluster: { redis: url, task: TASK },
        onResult: async () => {
          if (looked) return;
          looked = true;
          for (const key of await admin.keys('*')) stored.push(key, JSON.stringify(await dump(admin, key)));
        },
      });
      expect(result.n).toBe(60);
      expect(result.nFailed).toBe(0);
      expect(chat()).toHaveLength(60);
      const spec = stored.find((s) => s.endsWith(':spec'));
      expect(spec, 'the run spec was read while the run ran').toBeDefined();
      const specValue = stored[stored.indexOf(spec!) + 1]!;
      expect(specValue).toContain('acl:cache:');
      expect(specValue, 'the spec names no place to connect').not.toMatch(/redis:\/\/|127\.0\.0\.1/);
      for (const key of await admin.keys('*')) stored.push(key, JSON.stringify(await dump(admin, key)));
      expect(stored.join('\n')).not.toContain(pw);
      expect(JSON.stringify(result)).not.toContain(pw);
      expect(worker!.output()).toContain('redis redis://app:***@127.0.0.1:');
      // A no-progress error (no worker on that queue) names Redis without the password.
      const err = await evaluate(taskDataset(3), model, metrics, {
        ...common,
        cluster: { redis: url, task: TASK, queue: 'nobody', noProgressTimeoutMs: 500 },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ClusterError);
      expect((err as ClusterError).reason).toBe('no-progress');
      expect((err as Error).message).toContain('redis://app:***@127.0.0.1:');
      expect((err as Error).message).not.toContain(pw);
      expect(worker!.output()).not.toContain(pw);
    } finally {
      await cache.close();
      await worker!.stop();
      expect(worker!.output()).not.toContain(pw);
      admin.disconnect();
      await own.stop();
    }
  }, 150_000);
});

/** Everything Redis holds under `key`, whatever its type. */
async function dump(r: Redis, key: string): Promise<unknown> {
  const type = await r.type(key);
  // A key can expire between TYPE and GET (a lock, a lease): say so instead of returning undefined.
  if (type === 'string') return r.getBuffer(key).then((b) => b?.toString('latin1') ?? '(expired)');
  if (type === 'hash') return r.hgetall(key);
  if (type === 'list') return r.lrange(key, 0, -1);
  if (type === 'set') return r.smembers(key);
  if (type === 'zset') return r.zrange(key, '0', '-1', 'WITHSCORES');
  if (type === 'stream') return r.xrange(key, '-', '+');
  return type;
}
