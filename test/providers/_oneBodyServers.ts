// Servers on 127.0.0.1 that answer every request with one JSON body, started by a test and closed after it: the
// set-up of the suites that check how a provider's 2xx body is read (an empty answer, a filtered one, …). Other
// servers a test starts (the project's mock server, a server with its own handler) can be closed with them.
import type http from 'node:http';
import { afterEach } from 'vitest';
import { startServer, type TestServer } from '../calls/_misbehavingServer.js';

/** What {@link oneBodyServers} gives a suite. */
export interface OneBodyServers {
  /** Starts a server answering every request with `body` (JSON, status 200), closed after the test. */
  readonly serve: (body: unknown) => Promise<TestServer>;
  /** Closes `server`, another server the test started, after the test as well. */
  readonly closeAfterTest: (server: { close(): Promise<void> }) => void;
}

/**
 * Registers, in the calling file or `describe`, an `afterEach` that closes every server its tests started.
 *
 * @example
 * const { serve } = oneBodyServers();
 * it('…', async () => {
 *   const server = await serve({ id: 'chatcmpl-1', object: 'chat.completion', choices: [] });
 *   // point a client at server.url
 * });
 * @returns `serve(body)`, and `closeAfterTest(server)` for the servers a test starts otherwise.
 */
export function oneBodyServers(): OneBodyServers {
  let servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.map((s) => s.close()));
    servers = [];
  });
  const closeAfterTest = (server: { close(): Promise<void> }): void => {
    servers.push(server);
  };
  const serve = async (body: unknown): Promise<TestServer> => {
    const s = await startServer((_req: http.IncomingMessage, res: http.ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    closeAfterTest(s);
    return s;
  };
  return { serve, closeAfterTest };
}
