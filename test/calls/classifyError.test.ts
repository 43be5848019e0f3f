import { APICallError } from '@ai-sdk/provider';
import Anthropic from '@anthropic-ai/sdk';
import { RetryError } from 'ai';
import OpenAI from 'openai';
import { describe, expect, it } from 'vitest';
import {
  _connectionFailureOf,
  _hostOfUrl,
  _isRetryable,
  _reachedServer,
} from '../../src/calls/classifyError.js';
import { _createConnectionBreaker } from '../../src/calls/connectionBreaker.js';
import { providerBodyError } from '../../src/calls/providerBodyError.js';
import {
  BudgetExceededError,
  ConnectionFailedError,
  ProviderResponseError,
  TimeoutError,
} from '../../src/errors.js';

const headers = new Headers();
const nodeError = (code: string, message = code, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });
// The chain Node's fetch (undici) builds for a failed connection, as the SDKs then wrap it.
const fetchFailed = (cause: unknown) => new TypeError('fetch failed', { cause });
const apiCallError = (statusCode: number | undefined, isRetryable?: boolean) =>
  new APICallError({
    message: 'call failed',
    url: 'http://127.0.0.1:9/v1/chat/completions',
    requestBodyValues: {},
    ...(statusCode === undefined ? {} : { statusCode }),
    ...(isRetryable === undefined ? {} : { isRetryable }),
  });

describe('_isRetryable: SDK error classes and codes, never name strings', () => {
  it.each<[string, unknown, boolean]>([
    // openai (installed dependency): instanceof.
    ['openai APIConnectionError', new OpenAI.APIConnectionError({ message: 'Connection error.' }), true],
    ['openai APIConnectionTimeoutError', new OpenAI.APIConnectionTimeoutError(), true],
    ['openai InternalServerError 500', new OpenAI.InternalServerError(500, undefined, 'x', headers), true],
    ['openai RateLimitError 429', new OpenAI.RateLimitError(429, undefined, 'x', headers), true],
    ['openai APIError 408', new OpenAI.APIError(408, undefined, 'x', headers), true],
    ['openai ConflictError 409', new OpenAI.ConflictError(409, undefined, 'x', headers), true],
    ['openai APIError 502', new OpenAI.APIError(502, undefined, 'x', headers), true],
    ['openai BadRequestError 400', new OpenAI.BadRequestError(400, undefined, 'x', headers), false],
    ['openai AuthenticationError 401', new OpenAI.AuthenticationError(401, undefined, 'x', headers), false],
    [
      'openai PermissionDeniedError 403',
      new OpenAI.PermissionDeniedError(403, undefined, 'x', headers),
      false,
    ],
    ['openai NotFoundError 404', new OpenAI.NotFoundError(404, undefined, 'x', headers), false],
    [
      'openai UnprocessableEntityError 422',
      new OpenAI.UnprocessableEntityError(422, undefined, 'x', headers),
      false,
    ],
    ['openai APIUserAbortError', new OpenAI.APIUserAbortError(), false],
    // @anthropic-ai/sdk (dev dependency only): recognised without importing it.
    ['anthropic APIConnectionError', new Anthropic.APIConnectionError({ message: 'x' }), true],
    ['anthropic APIConnectionTimeoutError', new Anthropic.APIConnectionTimeoutError(), true],
    [
      'anthropic InternalServerError 500',
      new Anthropic.InternalServerError(500, undefined, 'x', headers),
      true,
    ],
    ['anthropic OverloadedError 529', new Anthropic.OverloadedError(529, undefined, 'x', headers), true],
    ['anthropic RateLimitError 429', new Anthropic.RateLimitError(429, undefined, 'x', headers), true],
    [
      'anthropic RequestTimeoutError 408',
      new Anthropic.RequestTimeoutError(408, undefined, 'x', headers),
      true,
    ],
    ['anthropic ConflictError 409', new Anthropic.ConflictError(409, undefined, 'x', headers), true],
    ['anthropic BadRequestError 400', new Anthropic.BadRequestError(400, undefined, 'x', headers), false],
    [
      'anthropic AuthenticationError 401',
      new Anthropic.AuthenticationError(401, undefined, 'x', headers),
      false,
    ],
    ['anthropic NotFoundError 404', new Anthropic.NotFoundError(404, undefined, 'x', headers), false],
    ['anthropic APIUserAbortError', new Anthropic.APIUserAbortError(), false],
    // AI SDK: isRetryable, as APICallError computes it from statusCode or as the provider set it.
    ['ai-sdk APICallError 503', apiCallError(503), true],
    ['ai-sdk APICallError 429', apiCallError(429), true],
    ['ai-sdk APICallError 400', apiCallError(400), false],
    ['ai-sdk APICallError, no status, isRetryable', apiCallError(undefined, true), true],
    ['ai-sdk APICallError 500 marked not retryable', apiCallError(500, false), false],
    [
      'ai-sdk RetryError over a retryable error',
      new RetryError({ message: 'r', reason: 'maxRetriesExceeded', errors: [apiCallError(503)] }),
      true,
    ],
    [
      'ai-sdk RetryError over a 400',
      new RetryError({ message: 'r', reason: 'errorNotRetryable', errors: [apiCallError(400)] }),
      false,
    ],
    // Node / undici codes, alone or anywhere in the cause chain.
    ...[
      'ECONNRESET',
      'ECONNREFUSED',
      'ETIMEDOUT',
      'EPIPE',
      'EAI_AGAIN',
      'UND_ERR_SOCKET',
      'UND_ERR_CONNECT_TIMEOUT',
      'UND_ERR_HEADERS_TIMEOUT',
      'UND_ERR_BODY_TIMEOUT',
    ].map((code): [string, unknown, boolean] => [
      `code ${code} in a fetch failure`,
      fetchFailed(nodeError(code)),
      true,
    ]),
    [
      'fetch TypeError: terminated',
      new TypeError('terminated', { cause: nodeError('UND_ERR_SOCKET') }),
      true,
    ],
    ['ENOTFOUND (the name does not exist)', nodeError('ENOTFOUND'), false],
    // evalgate's own.
    ['TimeoutError', new TimeoutError('t', 5), true],
    ['ProviderResponseError', providerBodyError({ choices: [] }), true],
    [
      'ConnectionFailedError (tripped)',
      new ConnectionFailedError('down', { failures: 10, causeCode: 'ECONNREFUSED' }),
      false,
    ],
    ['BudgetExceededError', new BudgetExceededError('b', 'maxRequests'), false],
    ['AbortError', new DOMException('aborted', 'AbortError'), false],
    // A name alone proves nothing; a plain error or value is not transient.
    ['{ name: "APIConnectionError" } (no class)', { name: 'APIConnectionError' }, false],
    ['plain Error', new Error('plain'), false],
    ['a string', 'ECONNRESET', false],
  ])('%s -> %s', (_, err, want) => {
    expect(_isRetryable(err)).toBe(want);
  });

  it("openai's timeout error really has name 'Error' (why names cannot be trusted)", () => {
    expect(new OpenAI.APIConnectionTimeoutError().name).toBe('Error');
  });

  it('a cycle in the cause chain does not hang', () => {
    const a = new Error('a') as Error & { cause?: unknown };
    const b = new Error('b', { cause: a });
    a.cause = b;
    expect(_isRetryable(a)).toBe(false);
    expect(_connectionFailureOf(a)).toBeUndefined();
  });
});

describe('_connectionFailureOf', () => {
  it.each([
    [
      'refused (openai)',
      new OpenAI.APIConnectionError({
        message: 'Connection error.',
        cause: fetchFailed(
          nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4000', {
            syscall: 'connect',
            address: '127.0.0.1',
            port: 4000,
          }),
        ),
      }),
      { code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1:4000', host: '127.0.0.1:4000' },
    ],
    [
      'refused on IPv6 and IPv4 (AggregateError of Happy Eyeballs)',
      fetchFailed(
        Object.assign(
          new AggregateError(
            [
              nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:4000', { address: '::1', port: 4000 }),
              nodeError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:4000', {
                address: '127.0.0.1',
                port: 4000,
              }),
            ],
            '',
          ),
          { code: 'ECONNREFUSED' },
        ),
      ),
      { code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED ::1:4000', host: '[::1]:4000' },
    ],
    [
      'DNS: ENOTFOUND',
      fetchFailed(
        nodeError('ENOTFOUND', 'getaddrinfo ENOTFOUND api.example.invalid', {
          syscall: 'getaddrinfo',
          hostname: 'api.example.invalid',
        }),
      ),
      { code: 'ENOTFOUND', detail: 'getaddrinfo ENOTFOUND api.example.invalid', host: 'api.example.invalid' },
    ],
    [
      'DNS: EAI_AGAIN',
      fetchFailed(
        nodeError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN api.openai.com', { hostname: 'api.openai.com' }),
      ),
      { code: 'EAI_AGAIN', detail: 'getaddrinfo EAI_AGAIN api.openai.com', host: 'api.openai.com' },
    ],
    [
      'TLS: self-signed certificate, host from the AI SDK url',
      new APICallError({
        message: 'Cannot connect to API: self-signed certificate',
        url: 'https://llm.internal/v1/chat/completions',
        requestBodyValues: {},
        cause: fetchFailed(nodeError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate')),
        isRetryable: true,
      }),
      { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', detail: 'self-signed certificate', host: 'llm.internal:443' },
    ],
    [
      'connect timeout',
      fetchFailed(nodeError('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error')),
      { code: 'UND_ERR_CONNECT_TIMEOUT', detail: 'Connect Timeout Error' },
    ],
  ])('%s', (_, err, want) => {
    expect(_connectionFailureOf(err)).toEqual(want);
  });

  it.each([
    ['a reset after connecting', fetchFailed(nodeError('UND_ERR_SOCKET', 'other side closed'))],
    ['an HTTP 503', new OpenAI.InternalServerError(503, undefined, 'x', headers)],
    ['an SDK timeout', new OpenAI.APIConnectionTimeoutError()],
  ])('%s is not a connection failure', (_, err) => {
    expect(_connectionFailureOf(err)).toBeUndefined();
  });

  it('an HTTP status or a bad body means the server was reached', () => {
    expect(_reachedServer(new OpenAI.InternalServerError(503, undefined, 'x', headers))).toBe(true);
    expect(_reachedServer(providerBodyError({ choices: [] }))).toBe(true);
    expect(_reachedServer(new OpenAI.APIConnectionError({ message: 'x' }))).toBe(false);
  });

  it.each([
    ['http://127.0.0.1:8000/v1', '127.0.0.1:8000'],
    ['https://api.openai.com/v1', 'api.openai.com:443'],
    ['http://localhost/v1', 'localhost:80'],
    ['http://[::1]:9000/', '[::1]:9000'],
    ['not a url', undefined],
  ])('_hostOfUrl(%s) -> %s', (url, want) => {
    expect(_hostOfUrl(url)).toBe(want);
  });
});

describe('_createConnectionBreaker', () => {
  const refused = { code: 'ECONNREFUSED', detail: 'connect ECONNREFUSED 127.0.0.1:1' };
  it('trips after max failures in a row, resets on reaching the server, and stays tripped', () => {
    const b = _createConnectionBreaker(3);
    let notified = 0;
    b.onTrip(() => notified++);
    expect(b.failed(refused, 'e1')).toBeUndefined();
    expect(b.failed(refused, 'e2')).toBeUndefined();
    b.reached();
    expect(b.failed(refused, 'e3')).toBeUndefined();
    expect(b.failed(refused, 'e4')).toBeUndefined();
    expect(notified).toBe(0);
    expect(b.failed(refused, 'e5')).toEqual({ failure: refused, error: 'e5', failures: 3 });
    expect(notified).toBe(1);
    b.reached();
    expect(b.tripped?.error).toBe('e5');
    let late = 0;
    b.onTrip(() => late++);
    expect(late).toBe(1);
  });
  it('Infinity never trips', () => {
    const b = _createConnectionBreaker(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1000; i++) b.failed(refused, i);
    expect(b.tripped).toBeUndefined();
  });
});

describe('providerBodyError', () => {
  it('takes the message of an error object, an excerpt of 200 characters, and the status', () => {
    const body = { error: { message: 'model overloaded', type: 'server_error' }, padding: 'x'.repeat(300) };
    const err = providerBodyError(body, { status: 200 });
    expect(err).toBeInstanceOf(ProviderResponseError);
    expect(err.code).toBe('E_PROVIDER_RESPONSE');
    expect(err.providerMessage).toBe('model overloaded');
    expect(err.bodyExcerpt).toBe(JSON.stringify(body).slice(0, 200));
    expect(err.bodyExcerpt).toHaveLength(200);
    expect(err.status).toBe(200);
    expect(err.message).toBe('Provider response (HTTP 200) is an error object: "model overloaded"');
  });
  it.each([
    [{ error: 'quota exhausted' }, {}, 'Provider response is an error object: "quota exhausted"'],
    [
      { content: [] },
      { reason: 'no content blocks' },
      'Provider response has no content blocks: {"content":[]}',
    ],
    [undefined, {}, 'Provider response has no content: (no body)'],
  ])('%o %o -> %s', (body, options, message) => {
    const err = providerBodyError(body, options);
    expect(err.message).toBe(message);
    expect(err.status).toBeUndefined();
  });
});
