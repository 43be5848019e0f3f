import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { it } from 'vitest';
import { memoryCache } from '../../src/cache/index.js';
import { evaluate, wrapOpenAI, wrapAnthropic } from '../../src/index.js';
import { argsFor, sdkMethods, startCaptureServer } from './_sdkMethods.js';
it('diag', { timeout: 600000 }, async () => {
  const server = await startCaptureServer();
  for (const client of [wrapOpenAI(new OpenAI({ baseURL: server.url, apiKey: 'x', maxRetries: 0 })), wrapAnthropic(new Anthropic({ baseURL: server.origin, apiKey: 'x', maxRetries: 0 }))]) {
  for (const m of sdkMethods(client)) {
    const t = Date.now(); const before = server.requests.length; let err = '';
    const r = await evaluate([{ id: 'a', input: 1 }], async () => {
      try { await Promise.race([Promise.resolve(m.invoke(argsFor(m))).then(async (v: any) => { if (v && typeof v === 'object' && Symbol.asyncIterator in v) for await (const _ of v); }), new Promise((_, rej) => setTimeout(() => rej(new Error('timeout')), 1500))]); } catch (e: any) { err = `${e.name}: ${e.message}`.slice(0, 150); }
      return 'ok';
    }, [{ name: 'd', kind: 'binary', score: () => 1 }], { cache: memoryCache(), retry: { maxRetries: 0 }, progress: false, resamples: 10 });
    const dt = Date.now() - t;
    const sent = server.requests.length - before;
    if (dt > 200 || sent !== r.totals.requests || sent === 0) console.log(m.path, dt, 'sent', sent, 'counted', r.totals.requests, err);
  }}
  await server.close();
});
