/**
 * A store used after close() says so with a typed error naming where it lives.
 *
 * Regression: sqliteCache threw a plain Error('This sqliteCache is closed') that named no file and no class a caller
 * could branch on; redisCache opened from a `url` answered ioredis's "Connection is closed." (no Redis, no key),
 * and one given a `connection` kept reading and writing after close() as if it were open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CacheStore, redisCache, sqliteCache } from '../../src/cache/index.js';
import { CacheError } from '../../src/errors.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-closed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every use of a closed store, each giving the error it throws or rejects with. */
async function usesAfterClose(store: CacheStore): Promise<unknown[]> {
  const uses = [
    () => store.get('k'),
    () => store.set('k', { value: 1 }),
    () => store.has('k'),
    () => store.stats(),
    () => store.assertWritable?.(),
  ];
  return Promise.all(
    uses.map((use) =>
      (async () => use())().then(
        () => 'no error',
        (e: unknown) => e,
      ),
    ),
  );
}

describe('sqliteCache after close()', () => {
  it('every use is a CacheError with reason "closed" naming the file; close() again is fine', async () => {
    const path = join(dir, 'c.sqlite');
    const s = sqliteCache(path);
    await s.set('k', { value: 1 });
    await s.close();
    await s.close();
    for (const err of await usesAfterClose(s)) {
      expect(err).toBeInstanceOf(CacheError);
      expect((err as CacheError).reason).toBe('closed');
      expect((err as CacheError).path).toBe(path);
      expect((err as Error).message).toBe(
        `This sqliteCache is closed: evalgate's SQLite cache at "${path}" was closed by close(); open it again with sqliteCache() to use it`,
      );
    }
  });
});

const redisReq = redisServer('the closed redisCache test talks to a local Redis');
describe.skipIf(redisReq.skip)('redisCache after close()', () => {
  let redis: RedisProcess;
  beforeAll(async () => {
    redis = await startRedis(redisReq.executable());
  }, 30_000);
  afterAll(async () => redis?.stop());

  it.each(['url', 'connection'] as const)(
    'made from a %s: every use is a CacheError with reason "closed"; close() again is fine',
    async (from) => {
      const connection = from === 'connection' ? new Redis(redis.url) : undefined;
      const store =
        connection === undefined
          ? redisCache({ url: redis.url, prefix: `closed-${from}:` })
          : redisCache({ connection, prefix: `closed-${from}:` });
      await store.set('k', { value: 1 });
      await store.close();
      await store.close();
      const where = `${from === 'url' ? redis.url : 'redis'} closed-${from}:entries`;
      for (const err of await usesAfterClose(store)) {
        expect(err).toBeInstanceOf(CacheError);
        expect((err as CacheError).reason).toBe('closed');
        expect((err as CacheError).path).toBe(where);
        expect((err as Error).message).toBe(
          `This redisCache is closed: evalgate's Redis cache at "${where}" was closed by close(); make a new one with redisCache() to use it`,
        );
      }
      // Nothing was written through the closed store; a given connection is left open.
      expect(await redis.client.hget(`closed-${from}:entries`, 'k')).toBe('{"value":1}');
      if (connection !== undefined) {
        expect(await connection.ping()).toBe('PONG');
        connection.disconnect();
      }
    },
  );
});
