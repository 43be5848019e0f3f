// A cluster run over TLS (`rediss://`) with a password, against a redis-server this suite starts on a TLS-only
// port with a certificate signed by a CA the test makes with openssl. Node trusts that CA through
// NODE_EXTRA_CA_CERTS, which it reads at start only: so the coordinator runs in its own process (as the
// workers do). A plain `redis://` URL against the TLS port fails in bounded time with a ClusterError.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterError, evaluate } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { redisServer } from '../_system.js';
import { freePort, startWorkers, TASK, type WorkerProcess } from './_cluster.js';

const ROOT = resolve(import.meta.dirname, '../..');
const redisReq = redisServer('the TLS suite runs a TLS-only redis-server with a test CA');
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const PASSWORD = 'tls-Pass-7c1d';

let dir: string;
let ca: string;
let port: number;
let server: ChildProcess;
let mock: MockServer;
let workers: (WorkerProcess & { output(): string })[] = [];

/** A CA and a server certificate for 127.0.0.1 signed by it, made with openssl in `dir`. */
function makeCertificates(where: string): void {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: where, stdio: 'ignore' });
  run(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'ca.key',
    '-out',
    'ca.crt',
    '-days',
    '2',
    '-subj',
    '/CN=evalgate test CA',
  );
  run(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  );
  execFileSync('sh', ['-c', 'printf "subjectAltName=IP:127.0.0.1\\n" > ext.cnf'], { cwd: where });
  run(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'ext.cnf',
  );
}

describe.skipIf(redisReq.skip || !hasOpenssl)('cluster over TLS (rediss://) with a password', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'evalgate-tls-'));
    makeCertificates(dir);
    ca = join(dir, 'ca.crt');
    port = await freePort();
    server = spawn(
      redisReq.executable(),
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        join(dir, 'server.crt'),
        '--tls-key-file',
        join(dir, 'server.key'),
        '--tls-ca-cert-file',
        ca,
        '--tls-auth-clients',
        'no',
        '--requirepass',
        PASSWORD,
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const client = new Redis({
      host: '127.0.0.1',
      port,
      password: PASSWORD,
      tls: { ca: await readFile(ca) },
      maxRetriesPerRequest: 1,
    });
    client.on('error', () => {});
    const until = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await client.ping()) === 'PONG') break;
      } catch (err) {
        if (Date.now() > until) throw new Error(`TLS redis-server did not answer: ${err}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    client.disconnect();
    mock = await startMockServer({ latencyMs: 10, logBodies: true });
    workers = await startWorkers(1, {
      redis: `rediss://:${PASSWORD}@127.0.0.1:${port}`,
      mockUrl: mock.url,
      env: { NODE_EXTRA_CA_CERTS: ca },
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    server?.kill('SIGKILL');
    await mock?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  }, 30_000);

  it('a coordinator and a worker on rediss:// with a password run every row; the password is never printed', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(ROOT, 'test/cluster/_coordinatorChild.ts')],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          NODE_EXTRA_CA_CERTS: ca,
          REDIS_URL: `rediss://:${PASSWORD}@127.0.0.1:${port}`,
          EVALGATE_TEST_MOCK_URL: mock.url,
          ROWS: '40',
          PREFIX: 'tls',
        },
      },
    );
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    child.stderr?.on('data', (b: Buffer) => {
      out += b.toString();
    });
    const code = await new Promise<number | null>((ok) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
      child.once('exit', (c) => {
        clearTimeout(timer);
        ok(c);
      });
    });
    expect(code, out).toBe(0);
    expect(out).toContain('finished n=40 failed=0 requests=40');
    const prompts = mock.requests.filter((e) =>
      String((e.body as { messages?: { content?: unknown }[] }).messages?.at(-1)?.content).startsWith('tls '),
    );
    expect(prompts).toHaveLength(40);
    expect(workers[0]!.output()).toContain(`redis rediss://***@127.0.0.1:${port}`);
    expect(workers[0]!.output()).not.toContain(PASSWORD);
    expect(out).not.toContain(PASSWORD);
  }, 120_000);

  it('plain redis:// against the TLS port fails within the connect timeout with a ClusterError', async () => {
    const t0 = Date.now();
    const err = await evaluate([{ input: 'x' }], async () => 'y', [], {
      progress: false,
      cluster: { redis: `redis://:${PASSWORD}@127.0.0.1:${port}`, task: TASK, connectTimeoutMs: 3000 },
    }).catch((e: unknown) => e);
    const ms = Date.now() - t0;
    expect(err).toBeInstanceOf(ClusterError);
    expect((err as ClusterError).reason).toBe('redis-unreachable');
    expect((err as Error).message).not.toContain(PASSWORD);
    expect(ms, `settled after ${ms} ms`).toBeLessThanOrEqual(6000);
  }, 30_000);
});
