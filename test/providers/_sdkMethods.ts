// Enumerates the request-sending surface of an official SDK client from the SDK itself: every public method
// of every resource object reachable from the client (a resource is an object holding `_client`), with the
// parameter names the SDK declares, so that a method added in a new SDK version shows up here by itself.
import http from 'node:http';

/** One SDK method: its path from the client (`chat.completions.create`) and its declared parameter names. */
export interface SdkMethod {
  readonly path: string;
  readonly params: readonly string[];
  /** Names the method takes out of its object parameter (path ids, header values), from its source. */
  readonly destructured: readonly string[];
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
  return parts.map((p) => (p.trim().startsWith('{') ? p.trim() : p.split('=')[0]!.trim()));
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
        out.push({
          path: `${path}.${n}`,
          params: paramNames(fn),
          destructured: destructuredNames(fn),
          invoke: (args) => fn.apply(v, args),
        });
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
    // Helpers read these from their params (`runTools` maps its tools; a run poll needs its thread).
    tools: [],
    thread_id: 'thread_1',
  };
}

/**
 * The names a method takes out of an object parameter, read from its source: `const { thread_id } = params`
 * (path ids and headers that travel in the params) and a destructured parameter `{ files, fileIds = [] }`.
 */
export function destructuredNames(fn: (...a: unknown[]) => unknown): string[] {
  const src = fn.toString();
  const names = new Set<string>();
  const pattern = /const\s*\{([^}]*)\}\s*=\s*(?:params|body|query)\b/g;
  for (let m = pattern.exec(src); m !== null; m = pattern.exec(src))
    for (const part of m[1]!.split(',')) {
      const name = part.split(/[:=]/)[0]!.trim();
      if (name !== '' && !name.startsWith('...')) names.add(name);
    }
  return [...names];
}

/** A value for a named field: a file for `file`/`files`, an empty list for `*Ids`, an id for the rest. */
function valueFor(name: string): unknown {
  if (/^files?$/i.test(name))
    return name.endsWith('s') ? [new File(['hello'], 'hello.txt', { type: 'text/plain' })] : textFile();
  if (/Ids$/.test(name)) return [];
  if (/^(pollInterval|pollIntervalMs)$/.test(name)) return 1;
  if (name === 'maxWait') return 2000;
  return `${name.replace(/[^a-z0-9]/gi, '').toLowerCase()}_1`;
}

function textFile(): File {
  return new File(['hello'], 'hello.txt', { type: 'text/plain' });
}

/**
 * Arguments for a method from its declared parameters: an id for each `*ID`-like positional name, a body that
 * also holds every name the method destructures from it (path ids, header values), a file where one is asked
 * for, and `options` (the request options every SDK method takes last) as given.
 */
export function argsFor(m: SdkMethod, options: Record<string, unknown>): unknown[] {
  const fields = Object.fromEntries(m.destructured.map((n) => [n, valueFor(n)]));
  return m.params.map((name) => {
    if (name === 'options') return options;
    if (name.startsWith('{')) {
      const inner = name
        .slice(1, name.lastIndexOf('}'))
        .split(',')
        .map((p) => p.replace(/=.*$/s, ''))
        .map((p) => p.split(/[:=]/)[0]!.trim())
        .filter((p) => p !== '');
      return { ...genericBody(), ...fields, ...Object.fromEntries(inner.map((n) => [n, valueFor(n)])) };
    }
    // A helper's own options object (`toolRunner(sessionID, opts)`) takes the request options' signal too.
    if (name === 'opts') return { ...genericBody(), ...fields, signal: options.signal };
    if (/^(body|params|query)$/.test(name)) return { ...genericBody(), ...fields };
    if (name === 'file') return textFile();
    return valueFor(name);
  });
}

/**
 * The query parameter a test's client puts on each method's requests (its `defaultQuery`) to tell whose they are;
 * part of the cache key, so that two methods sending the same request (`files.retrieve` and the GET of
 * `files.waitForProcessing`) keep entries of their own.
 */
export const METHOD_QUERY = 'evalgate_method';

/** The method of `client` at `path` (`chat.completions.create`), bound to its resource. */
export function methodAt(client: object, path: string): (...args: unknown[]) => unknown {
  const keys = path.split('.');
  let owner: Record<string, unknown> = client as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) owner = owner[k] as Record<string, unknown>;
  const fn = owner[keys.at(-1)!] as (...args: unknown[]) => unknown;
  return fn.bind(owner);
}

/** One request the capture server received. */
export interface Captured {
  readonly method: string;
  readonly path: string;
  readonly contentType: string;
  /** The {@link METHOD_QUERY} it carried ('' without one). */
  readonly tag: string;
  /** Its body: none, JSON, or anything else (an upload: multipart or binary, which evalgate never caches). */
  readonly body: 'none' | 'json' | 'upload';
}

/** An SSE stream in the shape of the API a path belongs to, with its usage, ending cleanly. */
function sseFor(path: string): string {
  const frame = (event: string | undefined, data: unknown) =>
    `${event === undefined ? '' : `event: ${event}\n`}data: ${JSON.stringify(data)}\n\n`;
  if (/\/v1\/messages|\/v1\/complete/.test(path) && !path.includes('/batches')) {
    const message = {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      model: 'mock-model',
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 3, output_tokens: 0 },
    };
    return [
      frame('message_start', { type: 'message_start', message }),
      frame('content_block_start', {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'text', text: '' },
      }),
      frame('content_block_delta', {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text: 'ok' },
      }),
      frame('content_block_stop', { type: 'content_block_stop', index: 0 }),
      frame('message_delta', {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null },
        usage: { output_tokens: 1 },
      }),
      frame('message_stop', { type: 'message_stop' }),
    ].join('');
  }
  if (path.includes('/responses')) {
    const response = {
      id: 'resp_1',
      object: 'response',
      created_at: 0,
      status: 'completed',
      model: 'mock-model',
      output: [
        {
          type: 'message',
          id: 'msg_1',
          status: 'completed',
          role: 'assistant',
          content: [{ type: 'output_text', text: 'ok', annotations: [] }],
        },
      ],
      usage: { input_tokens: 3, output_tokens: 1, total_tokens: 4 },
    };
    return [
      frame('response.created', {
        type: 'response.created',
        sequence_number: 0,
        response: { ...response, status: 'in_progress', output: [] },
      }),
      frame('response.completed', { type: 'response.completed', sequence_number: 1, response }),
    ].join('');
  }
  if (path.includes('/chat/completions') || path.endsWith('/completions')) {
    const chunk = {
      id: 'c1',
      object: 'chat.completion.chunk',
      created: 0,
      model: 'mock-model',
      choices: [{ index: 0, text: 'ok', delta: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
    };
    const usage = {
      ...chunk,
      choices: [],
      usage: { prompt_tokens: 3, completion_tokens: 1, total_tokens: 4 },
    };
    return `${frame(undefined, chunk)}${frame(undefined, usage)}data: [DONE]\n\n`;
  }
  // Anthropic's session event streams: JSON events only (its SDK has no `[DONE]` frame).
  if (/^\/v1\/sessions\//.test(path))
    return frame('session.status_idle', { type: 'session.status_idle', id: 'evt_1' });
  // Anything else that streams (assistants runs, agent sessions): one completed event, then done.
  return `${frame('thread.run.completed', { id: 'run_1', object: 'thread.run', status: 'completed' })}event: done\ndata: [DONE]\n\n`;
}

/** Whether a request asks for a stream: a JSON body with `stream: true`, or a path that is a stream. */
function wantsStream(path: string, body: string, contentType: string): boolean {
  if (/\/stream(\?|$)/.test(path)) return true;
  if (!contentType.includes('json')) return false;
  try {
    return (JSON.parse(body) as { stream?: unknown }).stream === true;
  } catch {
    return false;
  }
}

/**
 * A server on 127.0.0.1 that answers any request with 200 and a body every SDK method can read: a JSON object
 * with the fields the SDKs' helpers look at (a finished status, one choice, one output item, one content
 * block, one embedding, an empty last page), or, for a streamed request, a short SSE stream in the API's shape.
 * It records every request, with the method tag it carried.
 */
export async function startCaptureServer(): Promise<{
  url: string;
  origin: string;
  requests: Captured[];
  /** Forgets which resources were read (each is in progress again on its next first read). */
  reset(): void;
  close(): Promise<void>;
}> {
  const requests: Captured[] = [];
  let origin = '';
  // A lifecycle resource is in progress the first time a method reads it, then finished (what a poll helper
  // waits for: the Files API's `processed`, everything else's `completed`).
  const seen = new Set<string>();
  const statusOf = (method: string, path: string): string => {
    const finished = /^\/v1\/files(\/|\?|$)/.test(path) ? 'processed' : 'completed';
    if (method !== 'GET' || seen.has(path)) return finished;
    seen.add(path);
    return 'in_progress';
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const contentType = String(req.headers['content-type'] ?? '');
      const path = req.url ?? '';
      requests.push({
        method: req.method ?? '',
        path,
        contentType,
        tag: new URL(path, 'http://x').searchParams.get(METHOD_QUERY) ?? '',
        body: chunks.length === 0 ? 'none' : contentType.includes('json') ? 'json' : 'upload',
      });
      if (wantsStream(path, Buffer.concat(chunks).toString('utf8'), contentType)) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.end(sseFor(path));
        return;
      }
      res.writeHead(200, {
        'content-type': 'application/json',
        'x-request-id': 'req_1',
        'request-id': 'req_1',
      });
      res.end(
        JSON.stringify({
          id: 'id_1',
          thread_id: 'thread_1',
          environment_id: 'environment_1',
          // An Anthropic message batch's results live at a URL of its own (here the same server).
          results_url: `${origin}/v1/messages/batches/id_1/results`,
          object: 'list',
          type: 'message',
          role: 'assistant',
          model: 'mock-model',
          status: statusOf(req.method ?? '', path),
          processing_status: 'ended',
          created: 0,
          choices: [
            { index: 0, text: 'ok', message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' },
          ],
          output: [{ type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'ok' }] }],
          content: [{ type: 'text', text: 'ok' }],
          data: [{ object: 'embedding', index: 0, embedding: [0.1] }],
          has_more: false,
          first_id: null,
          last_id: null,
          file_counts: { in_progress: 0, completed: 1, failed: 0, cancelled: 0, total: 1 },
          usage: { prompt_tokens: 3, completion_tokens: 1, input_tokens: 3, output_tokens: 1 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    origin: `http://127.0.0.1:${port}`,
    requests,
    reset: () => seen.clear(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
