/**
 * `evalgate/testing`: an OpenAI- and Anthropic-compatible mock server for offline tests, examples and
 * benchmarks, and helpers to assert on what it saw.
 * @module
 */
export { countMockTokens } from './countMockTokens.js';
export { maxInWindow, type TimedEntry } from './maxInWindow.js';
export { type MockEmbeddingOptions, mockEmbedding } from './mockEmbedding.js';
export {
  type MockAgentScript,
  type MockAgentScripts,
  type MockAgentState,
  type MockAgentStep,
  type MockToolResult,
  scriptedAgent,
} from './scriptedAgent.js';
export { startMockServer } from './startMockServer.js';
export type {
  MockAnswer,
  MockApi,
  MockFault,
  MockFaultRates,
  MockFaultType,
  MockReply,
  MockRequest,
  MockRequestLogEntry,
  MockServer,
  MockServerOptions,
  MockServerSettings,
  MockStats,
  MockTokenLogprob,
  MockToolCall,
  MockTopLogprob,
} from './types.js';
