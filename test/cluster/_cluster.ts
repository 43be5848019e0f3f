// Starts the real parts of a cluster run on 127.0.0.1 for the tests and bench/scale.ts: a redis-server with
// persistence off on a free port, and `evalgate worker` processes (the CLI, through tsx). Every wait is bounded.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';

const ROOT = resolve(import.meta.dirname, '../..');
export const TASK = resolve(ROOT, 'test/cluster/_task.ts');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });
}

/** Resolves when `proc` prints a line matching `ready`; rejects on exit or after `ms`. */
function waitForLine(proc: ChildProcess, ready: RegExp, ms: number, what: string): Promise<void> {
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`${what} not ready after ${ms} ms; output: ${out}`)), ms);
    const onData = (b: Buffer) => {
      out += b.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        ok();
      }
    };
    proc.stdout?.on('data', onData);
    proc.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited with ${code}; output: ${out}`));
    });
  });
}

export interface RedisProcess {
  readonly url: string;
  readonly proc: ChildProcess;
  /** A command connection for the test's own checks. */
  readonly client: Redis;
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface StartRedisOptions {
  /** The port (a restart on the same port); a free one by default. */
  readonly port?: number;
  /** More `redis-server` arguments, e.g. `['--requirepass', 'pw']`. */
  readonly args?: readonly string[];
  /** `user:password@` of the test's own client and of `url`, when the server asks for AUTH. */
  readonly auth?: string;
}

/** Starts `redis-server` (path from test/_system.ts) on a free port, persistence off, bound to 127.0.0.1. */
export async function startRedis(executable: string, options: StartRedisOptions = {}): Promise<RedisProcess> {
  const port = options.port ?? (await freePort());
  const proc = spawn(
    executable,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--loglevel',
      'warning',
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const url = `redis://${options.auth ?? ''}127.0.0.1:${port}`;
  const client = new Redis(url, { maxRetriesPerRequest: 1, retryStrategy: (n) => (n > 50 ? null : 100) });
  client.on('error', () => {}); // refused until the server listens: the loop below retries
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if ((await client.ping()) === 'PONG') break;
    } catch (err) {
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on ${url}: ${err}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    proc,
    client,
    async stop() {
      client.disconnect();
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (proc.exitCode === null) proc.kill('SIGKILL');
      }
    },
  };
}

export interface WorkerProcess {
  readonly proc: ChildProcess;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts `n` worker processes of `task` and waits until each is ready. */
export async function startWorkers(
  n: number,
  options: {
    readonly redis: string;
    readonly mockUrl: string;
    readonly task?: string;
    readonly concurrency?: number;
    readonly lockMs?: number;
    readonly queue?: string;
    /** Environment added to the worker's (e.g. NODE_EXTRA_CA_CERTS for a TLS test). */
    readonly env?: Readonly<Record<string, string>>;
  },
): Promise<(WorkerProcess & { readonly output: () => string })[]> {
  const workers = Array.from({ length: n }, () => {
    const proc = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        resolve(ROOT, 'src/cli.ts'),
        'worker',
        options.task ?? TASK,
        '--redis',
        options.redis,
        '--concurrency',
        String(options.concurrency ?? 8),
        '--lock-ms',
        String(options.lockMs ?? 2000),
        ...(options.queue === undefined ? [] : ['--queue', options.queue]),
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, EVALGATE_TEST_MOCK_URL: options.mockUrl, ...options.env },
      },
    );
    let output = '';
    proc.stdout?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    proc.stderr?.on('data', (b: Buffer) => {
      output += b.toString();
    });
    const ready = waitForLine(proc, /evalgate worker ready/, 90_000, `worker ${proc.pid}`);
    return {
      proc,
      pid: proc.pid ?? -1,
      output: () => output,
      ready,
      async stop() {
        if (proc.exitCode !== null || proc.signalCode !== null) return;
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      },
    };
  });
  try {
    await Promise.all(workers.map((w) => w.ready));
  } catch (err) {
    await Promise.all(workers.map((w) => w.stop()));
    throw err;
  }
  return workers.map(({ proc, pid, stop, output }) => ({ proc, pid, stop, output }));
}
