// A coordinator in its own process, for the kill -9 test: runs evaluate() with `cluster` and a shared
// redisCache on REDIS_URL (rows from the task module answered by EVALGATE_TEST_MOCK_URL), printing "started"
// once the run is under way and a summary line once it is finished. The kill -9 test kills it mid-run; the TLS
// test runs it with NODE_EXTRA_CA_CERTS (read by Node at start only) to trust its self-signed CA.
import { redisCache } from '../../src/cache/index.js';
import { evaluate } from '../../src/index.js';
import { metrics, model, TASK_PATH, taskDataset } from './_task.js';

const redis = process.env.REDIS_URL ?? '';
const n = Number(process.env.ROWS ?? '2000');
const cache = redisCache({ url: redis, prefix: 'kill:cache:' });
let said = false;
const result = await evaluate(taskDataset(n, process.env.PREFIX ?? 'question'), model, metrics, {
  progress: false,
  cache,
  cluster: {
    redis,
    task: TASK_PATH,
    heartbeatTimeoutMs: Number(process.env.HEARTBEAT_MS ?? '2000'),
    queue: process.env.QUEUE ?? 'evalgate',
  },
  onResult: () => {
    if (said) return;
    said = true;
    process.stdout.write('started\n');
  },
});
process.stdout.write(`finished n=${result.n} failed=${result.nFailed} requests=${result.totals.requests}\n`);
await cache.close();
