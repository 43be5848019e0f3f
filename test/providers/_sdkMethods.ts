// Enumerates the request-sending surface of an official SDK client from the SDK itself: every public method
// of every resource object reachable from the client (a resource is an object holding `_client`), with the
// parameter names the SDK declares, so that a method added in a new SDK version shows up here by itself.
import http from 'node:http';

/** One SDK method: its path from the client (`chat.completions.create`) and its declared parameter names. */
export interface SdkMethod {
  readonly path: string;
  readonly params: readonly string[];
  readonly invoke: (args: unknown[]) => unknown;
}

/** Top-level parameter names of a function, from its source (`create(body, options)` => `['body', 'options']`). */
function paramNames(fn: (...a: unknown[]) => unknown): string[] {
  const src = fn.toString();
  const open = src.indexOf('(');
  let depth = 0;
  let part = '';
  const parts: string[] = [];
  for (let i = open + 1; i < src.length; i++) {
    const ch = src[i]!;
    if (depth === 0 && ch === ')') break;
    if ('([{'.includes(ch)) depth++;
    if (')]}'.includes(ch)) depth--;
    if (depth === 0 && ch === ',') {
      parts.push(part);
      part = '';
    } else part += ch;
  }
  if (part.trim() !== '') parts.push(part);
  return parts.map((p) => p.split('=')[0]!.trim());
}

/** Every public method of every resource reachable from `client`. */
export function sdkMethods(client: object): SdkMethod[] {
  const out: SdkMethod[] = [];
  const seen = new Set<object>();
  const walk = (obj: object, at: string) => {
    for (const key of Object.keys(obj)) {
      if (key.startsWith('_')) continue;
      const v = (obj as Record<string, unknown>)[key];
      if (v === null || typeof v !== 'object' || seen.has(v) || !('_client' in v)) continue;
      seen.add(v);
      const path = at === '' ? key : `${at}.${key}`;
      const names = new Set<string>();
      for (
        let p = Object.getPrototypeOf(v);
        p !== null && p !== Object.prototype;
        p = Object.getPrototypeOf(p)
      ) {
        if (p.constructor?.name === 'APIResource') break;
        for (const n of Object.getOwnPropertyNames(p)) {
          if (n === 'constructor' || n.startsWith('_')) continue;
          if (typeof Object.getOwnPropertyDescriptor(p, n)?.value === 'function') names.add(n);
        }
      }
      for (const n of names) {
        const fn = (v as Record<string, (...a: unknown[]) => unknown>)[n]!;
        out.push({ path: `${path}.${n}`, params: paramNames(fn), invoke: (args) => fn.apply(v, args) });
      }
      walk(v, path);
    }
  };
  walk(client, '');
  return out;
}

/** A request body every API accepts enough of to send: a model, a prompt in each API's shape, a token cap. */
export function genericBody(): Record<string, unknown> {
  return {
    model: 'mock-model',
    messages: [{ role: 'user', content: 'hi' }],
    input: 'hi',
    prompt: 'hi',
    max_tokens: 8,
  };
}

/** Arguments for a method from its parameter names: ids for `*ID`-like names, a body for the rest. */
export function argsFor(m: SdkMethod): unknown[] {
  return m.params.map((name) => {
    if (name === 'options') return undefined;
    if (name.startsWith('{') || /^(body|params|query)$/.test(name)) return genericBody();
    if (name === 'file') return new File(['hello'], 'hello.txt', { type: 'text/plain' });
    return 'id_1';
  });
}

/** One request the capture server received. */
export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
}

/**
 * A server on 127.0.0.1 that answers any request with 200 and a body every SDK method can read: a JSON object
 * with the fields the SDKs' helpers look at (a finished status, one choice, one output item, one content
 * block, one embedding, an empty last page), or, for a streamed request, a short SSE stream.
 */
export async function startCaptureServer(): Promise<{
  url: string;
  origin: string;
  requests: Captured[];
  close(): Promise<void>;
}> {
  const requests: Captured[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      requests.push({ method: req.method ?? '', path: req.url ?? '', contentType });
      let stream = false;
      if (contentType.includes('json')) {
        try {
          stream = JSON.parse(Buffer.concat(chunks).toString('utf8')).stream === true;
        } catch {
          stream = false;
        }
      }
      if (stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = {
          id: 'c1',
          object: 'chat.completion.chunk',
          created: 0,
          model: 'mock-model',
          choices: [{ index: 0, delta: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        };
        res.end(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': 'req_1' });
      res.end(
        JSON.stringify({
          id: 'id_1',
          object: 'list',
          type: 'message',
          role: 'assistant',
          model: 'mock-model',
          status: (req.url ?? '').includes('/files') ? 'processed' : 'completed',
          processing_status: 'ended',
          created: 0,
          choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
          output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }],
          content: [{ type: 'text', text: 'ok' }],
          data: [{ object: 'embedding', index: 0, embedding: [0.1] }],
          has_more: false,
          first_id: null,
          last_id: null,
          usage: { prompt_tokens: 3, completion_tokens: 1, input_tokens: 3, output_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
