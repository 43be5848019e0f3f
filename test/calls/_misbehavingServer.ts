// Small misbehaving OpenAI-compatible servers on 127.0.0.1, started and closed by each test, and a sender that
// drives the real openai SDK the way openaiModel() does (plus the empty-body check adapters are asked to make).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import type { CallOutcome } from '../../src/calls/callRuntime.js';
import { providerBodyError } from '../../src/calls/providerBodyError.js';
import { wrapOpenAI } from '../../src/index.js';

/** A well-formed chat completion. */
export const COMPLETION = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 0,
  model: 'm',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Paris' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 7, completion_tokens: 1, total_tokens: 8 },
});

export function answer(res: http.ServerResponse, status = 200, body = COMPLETION, headers = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(body);
}

export interface TestServer {
  /** `http://127.0.0.1:<port>/v1` */
  readonly url: string;
  readonly port: number;
  /** Requests received so far. */
  readonly requests: number;
  close(): Promise<void>;
}

/**
 * Starts a server that calls `handle(req, res, n)` for its n-th request (0-based), once the request body has
 * been read. The handler may leave a request unanswered: `close()` destroys every open connection.
 */
export async function startServer(
  handle: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void,
): Promise<TestServer> {
  let requests = 0;
  const server = http.createServer((req, res) => {
    const n = requests++;
    req.resume();
    req.on('end', () => handle(req, res, n));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An OpenAI-style rate-limit error body. */
export const RATE_LIMITED = JSON.stringify({ error: { message: 'slow down', type: 'rate_limit_exceeded' } });

/**
 * Starts a server answering its first `failing` requests with `status` (and `headers`; an OpenAI-style error body:
 * a 429's rate-limit error, else "unavailable"), then {@link COMPLETION}; `at` holds each request's arrival time.
 */
export async function startFailingThenOk(
  failing: number,
  status: number,
  headers: Record<string, string>,
): Promise<{ server: TestServer; at: number[] }> {
  const at: number[] = [];
  const body = status === 429 ? RATE_LIMITED : JSON.stringify({ error: { message: 'unavailable' } });
  const server = await startServer((_req, res, n) => {
    at.push(performance.now());
    if (n < failing) answer(res, status, body, headers);
    else answer(res, 200, COMPLETION);
  });
  return { server, at };
}

/**
 * A model asking the server at `url` for a chat completion of its input through the official openai client (no SDK
 * retries): `wrapped` by evalgate, so that its calls go through the run's runtime (retried there), or plain, so
 * that the row retries the whole model.
 */
export function chatModel(url: string, wrapped: boolean): (input: unknown) => Promise<string> {
  const plain = new OpenAI({ baseURL: url, apiKey: 'k', maxRetries: 0 });
  const client = wrapped ? wrapOpenAI(plain) : plain;
  return async (input) => {
    const r = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: String(input) }],
    });
    return r.choices[0]?.message.content ?? '';
  };
}

/** A port on 127.0.0.1 with nothing listening: bound, then released. */
export async function deadPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/** An openai client with its own retries off (evalgate retries), counting the fetches it makes. */
export function client(baseURL: string, options: { timeout?: number } = {}) {
  const counter = { fetches: 0 };
  const openai = new OpenAI({
    baseURL,
    apiKey: 'x',
    maxRetries: 0,
    ...options,
    fetch: (input: string | URL | Request, init?: RequestInit) => {
      counter.fetches++;
      return fetch(input, init);
    },
  });
  return { openai, counter };
}

/** A chat-completions sender as an adapter writes it: a body without choices is a failed attempt. */
export function chatSender(openai: OpenAI) {
  return async (signal: AbortSignal): Promise<CallOutcome<string>> => {
    const res = await openai.chat.completions.create(
      { model: 'm', messages: [{ role: 'user', content: 'Capital of France?' }] },
      { signal },
    );
    const choices = (res as { choices?: unknown }).choices;
    if (!Array.isArray(choices) || choices.length === 0)
      throw providerBodyError(res, { status: 200, reason: 'no choices' });
    return {
      value: res.choices[0]?.message.content ?? '',
      ...(res.usage
        ? { usage: { inputTokens: res.usage.prompt_tokens, outputTokens: res.usage.completion_tokens } }
        : {}),
    };
  };
}
