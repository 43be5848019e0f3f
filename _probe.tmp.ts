import OpenAI from 'openai';
import OpenAI6 from 'openai-v6';
import Anthropic from '@anthropic-ai/sdk';
import { evaluate, wrapOpenAI, wrapAnthropic } from './src/index.ts';
import { memoryCache } from './src/cache/index.ts';
import { argsFor, METHOD_HEADER, sdkMethods, startCaptureServer } from './test/providers/_sdkMethods.ts';
const server = await startCaptureServer();
const which = process.argv[2];
const client = which === 'an' ? wrapAnthropic(new Anthropic({ baseURL: server.origin, authToken: 't', maxRetries: 0 })) : which === 'o6' ? wrapOpenAI(new OpenAI6({ baseURL: server.url, apiKey: 'sk', adminAPIKey: 'a', maxRetries: 0 } as any)) : wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'sk', adminAPIKey: 'a', maxRetries: 0 }));
const methods = sdkMethods(client).slice(0, Number(process.argv[3] ?? 1000));
const pending = new Set<string>();
const t0 = Date.now();
const iv = setInterval(() => console.log('pending', Date.now() - t0, pending.size, [...pending].slice(0, 8).join(' ')), 2000);
async function consume(value: unknown) {
  const v = await value;
  if (v === null || typeof v !== 'object') return;
  if (v instanceof Response) { await v.arrayBuffer(); return; }
  if (typeof (v as any).done === 'function') { await (v as any).done(); return; }
  if (Symbol.asyncIterator in v) for await (const _ of v as any);
}
const byPath = new Map(methods.map((m) => [m.path, m]));
const result = await evaluate(methods.map((m) => ({ id: m.path, input: m.path })), async (input, ctx) => {
  const m = byPath.get(String(input))!;
  pending.add(m.path); if (process.env.LOG) console.log("start", m.path);
  const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(5000)]);
  try {
    await Promise.race([consume(m.invoke(argsFor(m, { headers: { [METHOD_HEADER]: m.path }, signal, maxRetries: 0, timeout: 5000, pollIntervalMs: 1 }))),
      new Promise((_, rej) => signal.addEventListener('abort', () => rej(new Error('timeout ' + m.path)), { once: true }))]);
  } finally { pending.delete(m.path); }
  return 'ok';
}, [{ name: 'd', kind: 'binary', score: () => 1 }], { cache: { store: memoryCache(), mode: 'read-write' }, retry: { maxRetries: 0 }, timeoutMs: 5000, concurrency: Number(process.env.C ?? 16), maxFailureRate: 1, progress: false, resamples: 10 });
clearInterval(iv);
console.log('done', Date.now() - t0, 'ms', result.totals.requests, server.requests.length);
for (const e of result.examples) if (e.error) console.log('ERR', e.id, e.error.name, e.error.message.slice(0, 150));
await server.close();
console.log(server.requests.filter(r => /respons/.test(r.path) || /respons/.test(r.tag)).map(r => `${r.method} ${r.path} tag=${r.tag}`).join('\n'));
