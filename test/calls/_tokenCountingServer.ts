// A provider stand-in on 127.0.0.1 that counts each request's prompt tokens as the provider would and logs them with
// the request's arrival time: the set-up of the suites that check the TPM limit against what a server sees in any
// window (maxInWindow over the log). Each test starts its own; it is closed after the test.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** One request the server received: when (`performance.now()`), and its prompt tokens plus 1 completion token. */
export interface CountedRequest {
  readonly at: number;
  readonly tokens: number;
}

/** How the server reads a request: its prompt tokens from the JSON body, and the reply for that count. */
export interface TokenCounting<Body> {
  /** Prompt tokens of a request, counted as the provider counts them. */
  readonly count: (body: Body) => number;
  /** The 200 reply (JSON) to a request of `input` prompt tokens, which reports them and 1 completion token. */
  readonly reply: (input: number) => unknown;
}

/**
 * Registers, in the calling file, an `afterEach` that closes the server a test started, and returns the function
 * that starts it.
 *
 * @example
 * const serve = tokenCountingServer({
 *   count: (body: { messages: { content: string }[] }) => body.messages.reduce((n, m) => n + countTokens(m.content), 0),
 *   reply: (input) => ({ choices: [], usage: { prompt_tokens: input, completion_tokens: 1 } }),
 * });
 * it('…', async () => {
 *   const { log, url } = await serve();
 *   // send through url, then read log: [{ at, tokens }, …]
 * });
 * @returns `serve()`: starts the server, resolving to its request log and its URL (`http://127.0.0.1:<port>`).
 */
export function tokenCountingServer<Body>(
  counting: TokenCounting<Body>,
): () => Promise<{ readonly log: CountedRequest[]; readonly url: string }> {
  let close: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await close?.();
    close = undefined;
  });
  return async () => {
    const log: CountedRequest[] = [];
    const srv = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => {
        raw += c;
      });
      req.on('end', () => {
        const input = counting.count(JSON.parse(raw) as Body);
        log.push({ at: performance.now(), tokens: input + 1 });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(counting.reply(input)));
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    const { port } = srv.address() as AddressInfo;
    close = () =>
      new Promise<void>((r) => {
        srv.closeAllConnections();
        srv.close(() => r());
      });
    return { log, url: `http://127.0.0.1:${port}` };
  };
}
