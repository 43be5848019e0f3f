/**
 * Validation of mock server options at the public boundary.
 * @module
 */
import { _describe } from '../_internal/describe.js';
import {
  _checkChoice,
  _checkFunction,
  _checkInteger,
  _checkNumberInRange,
  _checkOptionsObject,
} from '../_internal/validate.js';
import { _RATE_FIELDS, _rateSum } from './_faults.js';
import type { MockFaultRates } from './types.js';

const _KNOWN = new Set([
  'port',
  'host',
  'respond',
  'table',
  'fallback',
  'embed',
  'embeddingDimensions',
  'latencyMs',
  'streamChunkDelayMs',
  'faults',
  'rateLimit',
  'models',
  'logBodies',
]);

/** Throws TypeError / RangeError naming the option for anything malformed. */
export function _validateOptions(options: unknown, name = 'options'): void {
  _checkOptionsObject(name, options);
  if (options === undefined) return;
  const o = options as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!_KNOWN.has(key)) throw new TypeError(`Unknown option \`${name}.${key}\`, got ${_describe(o[key])}`);
  }
  if (o.port !== undefined) _checkInteger('port', o.port, 0, 65535);
  if (o.host !== undefined && typeof o.host !== 'string')
    throw new TypeError(`Expected \`host\` to be a string, got ${_describe(o.host)}`);
  if (o.respond !== undefined) _checkFunction('respond', o.respond);
  if (o.embed !== undefined) _checkFunction('embed', o.embed);
  if (o.table !== undefined) {
    _checkOptionsObject('table', o.table);
    for (const [k, v] of Object.entries(o.table as object)) {
      if (typeof v !== 'string')
        throw new TypeError(`Expected \`table[${JSON.stringify(k)}]\` to be a string, got ${_describe(v)}`);
    }
  }
  if (o.fallback !== undefined && typeof o.fallback !== 'string' && typeof o.fallback !== 'function')
    throw new TypeError(
      `Expected \`fallback\` to be 'echo', a string or a function, got ${_describe(o.fallback)}`,
    );
  if (o.embeddingDimensions !== undefined) _checkInteger('embeddingDimensions', o.embeddingDimensions, 1);
  if (o.latencyMs !== undefined && typeof o.latencyMs !== 'function')
    _checkNumberInRange('latencyMs', o.latencyMs, 0, Number.POSITIVE_INFINITY, '[)');
  if (o.streamChunkDelayMs !== undefined)
    _checkNumberInRange('streamChunkDelayMs', o.streamChunkDelayMs, 0, Number.POSITIVE_INFINITY, '[)');
  if (o.faults !== undefined && typeof o.faults !== 'function') _validateFaultRates(o.faults);
  if (o.rateLimit !== undefined) {
    _checkOptionsObject('rateLimit', o.rateLimit);
    const r = o.rateLimit as Record<string, unknown>;
    if (r.rpm !== undefined) _checkInteger('rateLimit.rpm', r.rpm, 1);
    if (r.tpm !== undefined) _checkInteger('rateLimit.tpm', r.tpm, 1);
    if (r.windowMs !== undefined)
      _checkNumberInRange('rateLimit.windowMs', r.windowMs, 0, Number.POSITIVE_INFINITY);
  }
  if (o.models !== undefined) {
    if (!Array.isArray(o.models) || !o.models.every((m) => typeof m === 'string'))
      throw new TypeError(`Expected \`models\` to be an array of strings, got ${_describe(o.models)}`);
  }
  if (o.logBodies !== undefined && typeof o.logBodies !== 'boolean')
    throw new TypeError(`Expected \`logBodies\` to be a boolean, got ${_describe(o.logBodies)}`);
}

function _validateFaultRates(value: unknown): void {
  _checkOptionsObject('faults', value);
  const f = value as MockFaultRates & Record<string, unknown>;
  for (const field of _RATE_FIELDS) {
    if (f[field] !== undefined) _checkNumberInRange(`faults.${field}`, f[field], 0, 1, '[]');
  }
  const sum = _rateSum(f);
  if (sum > 1 + 1e-12)
    throw new RangeError(`Expected the \`faults\` rates to sum to at most 1, got \`${sum}\` (number)`);
  if (f.seed !== undefined && typeof f.seed !== 'number' && typeof f.seed !== 'string')
    throw new TypeError(`Expected \`faults.seed\` to be a number or a string, got ${_describe(f.seed)}`);
  if (f.keyBy !== undefined) _checkChoice('faults.keyBy', f.keyBy, ['index', 'body']);
  if (f.faultOnce !== undefined && typeof f.faultOnce !== 'boolean')
    throw new TypeError(`Expected \`faults.faultOnce\` to be a boolean, got ${_describe(f.faultOnce)}`);
  if (f.retryAfterMs !== undefined)
    _checkNumberInRange('faults.retryAfterMs', f.retryAfterMs, 0, Number.POSITIVE_INFINITY, '[)');
  if (f.decide !== undefined) _checkFunction('faults.decide', f.decide);
}
