import { afterEach } from 'vitest';
import {
  type MockAnswer,
  type MockRequest,
  type MockServer,
  type MockServerOptions,
  startMockServer,
} from '../../src/testing/index.js';

/** A `start(options)` for one test file: every server it starts is closed after each test. */
export function mockServers(): (options?: MockServerOptions) => Promise<MockServer> {
  const open: MockServer[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  return async (options = {}) => {
    const server = await startMockServer(options);
    open.push(server);
    return server;
  };
}

/** A `respond` option that records each request and hands it on to `table` / `fallback`. */
export function recordInto(seen: MockRequest[]): (request: MockRequest) => MockAnswer | undefined {
  return (request) => {
    seen.push(request);
    return undefined;
  };
}

/** Reads a stream to its end (a stream error rejects). */
export async function drain(stream: AsyncIterable<unknown>): Promise<void> {
  for await (const _ of stream) {
    // nothing to keep
  }
}

/** A `respond` option that records each request and answers `<systemMessage> | <lastUserMessage>`. */
export function answerWithConversation(seen: MockRequest[]): (request: MockRequest) => string {
  return (request) => {
    seen.push(request);
    return `${request.systemMessage} | ${request.lastUserMessage}`;
  };
}
