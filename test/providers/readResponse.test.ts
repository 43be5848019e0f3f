import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _ReadResponse } from '../../src/providers/_routeRequests.js';

const init = () => ({
  status: 200,
  headers: { 'content-type': 'application/json', 'x-request-id': 'req_1' },
});

describe('_ReadResponse: a read body handed to the SDK without a body stream', () => {
  it('reads like a Response of the same text (json, text, arrayBuffer, headers, status)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (value) => {
        const text = JSON.stringify(value);
        const ours = new _ReadResponse(text, init());
        const real = new Response(text, init());
        expect(ours).toBeInstanceOf(Response);
        expect(ours.status).toBe(real.status);
        expect(ours.ok).toBe(true);
        expect(ours.headers.get('x-request-id')).toBe('req_1');
        expect(await ours.json()).toEqual(await real.json());
        expect(new TextDecoder().decode(await new _ReadResponse(text, init()).arrayBuffer())).toBe(text);
        expect(await new _ReadResponse(text, init()).clone().text()).toBe(text);
      }),
      { seed: 20, numRuns: 200 },
    );
  });

  it('is read once, like a Response: bodyUsed, then a TypeError on a second read or a clone', async () => {
    const r = new _ReadResponse('{"a":1}', init());
    expect(r.bodyUsed).toBe(false);
    expect(await r.text()).toBe('{"a":1}');
    expect(r.bodyUsed).toBe(true);
    await expect(r.json()).rejects.toBeInstanceOf(TypeError);
    expect(() => r.clone()).toThrow(TypeError);
  });

  it('gives a body stream on demand; looking at it does not read it, reading it does', async () => {
    const r = new _ReadResponse('{"a":1}', init());
    expect(r.body?.locked).toBe(false);
    expect(r.bodyUsed).toBe(false);
    const text = await new Response(r.body).text();
    expect(text).toBe('{"a":1}');
    expect(r.bodyUsed).toBe(true);
    await expect(r.text()).rejects.toBeInstanceOf(TypeError);
  });
});
