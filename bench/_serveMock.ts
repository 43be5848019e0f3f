// Starts the mock server in its own process for benchmarks (so its CPU work does not share the event loop
// being measured) and prints its URL as one JSON line. Usage: tsx bench/_serveMock.ts <latencyMs>
import { startMockServer } from '../src/testing/index.js';

const latencyMs = Number(process.argv[2] ?? 100);
const server = await startMockServer({
  latencyMs,
  respond: (req) => `echo: ${req.lastUserMessage.slice(0, 32)}`,
});
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
const stop = async () => {
  await server.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
