/**
 * redisCache.assertWritable() touches no key but the store's own, and still tells a read-only replica apart.
 *
 * Regression: the check wrote `<prefix>writable` = '1' with a 60-second expiry, a key outside the one the store
 * is documented to use (`<prefix>entries`): with `prefix: 'myapp:'` it overwrote an application's `myapp:writable`
 * ('precious' became '1') and deleted it a minute later.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisCache } from '../../src/cache/index.js';
import { CacheError } from '../../src/errors.js';
import { redisServer } from '../_system.js';
import { type RedisProcess, startRedis } from '../cluster/_cluster.js';

const redisReq = redisServer('the redisCache writable check talks to a local Redis and its replica');
describe.skipIf(redisReq.skip)('redisCache.assertWritable()', () => {
  let primary: RedisProcess;
  let replica: RedisProcess;
  beforeAll(async () => {
    primary = await startRedis(redisReq.executable());
    const port = new URL(primary.url).port;
    replica = await startRedis(redisReq.executable(), { args: ['--replicaof', '127.0.0.1', port] });
  }, 30_000);
  afterAll(async () => {
    await replica?.stop();
    await primary?.stop();
  });

  it.each(['myapp:', ''])('with prefix %j leaves every other key as it was', async (prefix) => {
    await primary.client.set(`${prefix}writable`, 'precious');
    const before = await primary.client.dbsize();
    const cache = redisCache({ url: primary.url, prefix });
    await cache.assertWritable();
    expect(await primary.client.get(`${prefix}writable`)).toBe('precious');
    expect(await primary.client.pttl(`${prefix}writable`)).toBe(-1);
    expect(await primary.client.dbsize()).toBe(before);
    expect(await primary.client.exists(`${prefix}entries`)).toBe(0);
    await cache.close();
    await primary.client.del(`${prefix}writable`);
  });

  it('passes when the key holds another type (each read and write then fails on its own, as a warning)', async () => {
    await primary.client.set('wrongtype:entries', 'not a hash');
    const cache = redisCache({ url: primary.url, prefix: 'wrongtype:' });
    await expect(cache.assertWritable()).resolves.toBeUndefined();
    expect(await primary.client.get('wrongtype:entries')).toBe('not a hash');
    await cache.close();
  });

  it('on a read-only replica throws CacheError read-only, naming the key', async () => {
    const cache = redisCache({ url: replica.url, prefix: 'ro:' });
    const err = await cache.assertWritable().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CacheError);
    expect((err as CacheError).reason).toBe('read-only');
    expect((err as Error).message).toBe(
      `evalgate's Redis cache at "${replica.url} ro:entries" is a read-only replica: point \`redisCache.url\` at the primary, or use mode 'read-only' / 'replay'`,
    );
    await cache.close();
  });
});
