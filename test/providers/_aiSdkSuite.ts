// The set-up of the suites that drive the installed `ai` majors through wrapAISDKModel / evalgateMiddleware: one
// mock server for the file (started before its tests, closed after them), three rows and a metric that scores every
// output 1, so that what a test checks is what went over the wire, not what the model answered.
import { afterAll, beforeAll } from 'vitest';
import type { Metric } from '../../src/index.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';

/** The parts of the suite's {@link MockServer} a test reads, readable once the suite's `beforeAll` has run. */
export type SuiteMockServer = Pick<MockServer, 'url' | 'stats' | 'reset'>;

/** What {@link aiSdkSuite} gives a suite. */
export interface AiSdkSuite {
  /** The mock server (OpenAI-compatible; `url` ends in `/v1`, the `baseURL` of `createOpenAI`). */
  readonly server: SuiteMockServer;
  /** Three rows, `q0`..`q2`, inputs `q 0`..`q 2`. */
  readonly rows: readonly { readonly id: string; readonly input: string }[];
  /** A binary metric named `any` that scores every output 1. */
  readonly any: Metric;
}

/**
 * Registers, in the calling file or `describe`, a mock server started before its tests and closed after them.
 *
 * @example
 * const { server, rows, any } = aiSdkSuite();
 * it('…', async () => {
 *   const model = wrapAISDKModel(createOpenAI({ baseURL: server.url, apiKey: 'k' }).embedding('mock-embedding'));
 *   await evaluate(rows, fn, [any], { progress: false });
 *   expect(server.stats.requests).toBe(rows.length);
 * });
 * @returns The server (its `url`, `stats` and `reset()`, read in a test), the rows and the metric.
 */
export function aiSdkSuite(): AiSdkSuite {
  let started: MockServer | undefined;
  beforeAll(async () => {
    started = await startMockServer();
  });
  afterAll(() => started?.close());
  const mock = (): MockServer => {
    if (started === undefined)
      throw new Error('aiSdkSuite: the mock server is not started yet (read it in a test)');
    return started;
  };
  const server: SuiteMockServer = {
    get url() {
      return mock().url;
    },
    get stats() {
      return mock().stats;
    },
    reset: () => mock().reset(),
  };
  return {
    server,
    rows: Array.from({ length: 3 }, (_, i) => ({ id: `q${i}`, input: `q ${i}` })),
    any: { name: 'any', kind: 'binary', score: () => 1 },
  };
}
