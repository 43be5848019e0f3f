/**
 * How the OpenAI routes (chat completions, responses, embeddings, models, unknown routes) write errors and
 * headers, as the openai v6 SDK reads them.
 * @module
 */
import type { _HttpError } from './_httpError.js';
import type { _Wire } from './_modelApi.js';
import { _formatReset, type _RateState, _rateHeaders } from './_rateWindow.js';

/** OpenAI's error body, `x-ratelimit-*` headers, `x-request-id` and `openai-processing-ms`. */
export const _openaiWire: _Wire = {
  errorBody(e: _HttpError) {
    return { error: { message: e.message, type: e.type, param: e.param, code: e.code } };
  },
  rateHeaders(s: _RateState) {
    // x-ratelimit-limit-requests, ..., reset as a duration (`1.5s`).
    return _rateHeaders(s, (limit, field) => `x-ratelimit-${field}-${limit}`, _formatReset);
  },
  responseHeaders(seq: number, elapsedMs: number) {
    return { 'x-request-id': `req_mock_${seq}`, 'openai-processing-ms': String(Math.round(elapsedMs)) };
  },
};
