import { _checkOptions } from '../_internal/validate.js';
/**
 * Unusable provider responses as typed errors: {@link providerBodyError} for adapters that received a body
 * without content, and the runtime's conversion of bad-body failures (cut-off body, invalid JSON).
 * @module
 */
import type { Usage } from '../core/types.js';
import { ProviderResponseError } from '../errors.js';

/** How many characters of a body a {@link ProviderResponseError} keeps. */
const EXCERPT_CHARS = 200;

/** Options of {@link providerBodyError}. */
export interface ProviderBodyErrorOptions {
  /** HTTP status the body came with. @default unknown (the field is left out) */
  readonly status?: number;
  /** What is missing, for the message, e.g. `'no choices'`. @default `'no content'` */
  readonly reason?: string;
}

const PROVIDER_BODY_ERROR_KEYS = Object.keys({ status: true, reason: true } satisfies Record<
  keyof ProviderBodyErrorOptions,
  true
>);

function excerptOf(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  let text: string | undefined;
  try {
    text = typeof body === 'string' ? body : JSON.stringify(body);
  } catch {
    text = undefined;
  }
  return text === undefined ? undefined : text.slice(0, EXCERPT_CHARS);
}

/** The message of a JSON error object `{ "error": { "message": … } }` or `{ "error": "…" }`, if the body is one. */
function errorMessageOf(body: unknown): string | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const error = (body as { error?: unknown }).error;
  if (typeof error === 'string') return error;
  if (error === null || typeof error !== 'object') return undefined;
  const message = (error as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  return excerptOf(error);
}

/**
 * Builds the error an adapter throws from inside its sender when a provider answered with a parsed body it
 * cannot use: a JSON error object on a 2xx (`{ "error": { "message": "…" } }`), or a body without content
 * (`{ "choices": [] }`, `{ "content": [] }`). Thrown inside `runtime.call`'s sender, it makes the attempt fail:
 * the runtime retries it as transient and never caches it.
 *
 * @param body - The parsed response body (any JSON value).
 * @param options - {@link ProviderBodyErrorOptions}: the HTTP `status` (default: left out) and a `reason`
 *   (default `'no content'`).
 * @returns A {@link ProviderResponseError} with `providerMessage` (the body's error message, when it has one),
 *   `bodyExcerpt` (its first 200 characters of JSON) and `status`.
 * @example
 * ```ts
 * const res = await client.chat.completions.create(body, { signal });
 * if (!Array.isArray(res.choices) || res.choices.length === 0)
 *   throw providerBodyError(res, { status: 200, reason: 'no choices' });
 * providerBodyError({ choices: [] }, { status: 200, reason: 'no choices' }).message;
 * // => 'Provider response (HTTP 200) has no choices: {"choices":[]}'
 * ```
 */
export function providerBodyError(
  body: unknown,
  options: ProviderBodyErrorOptions = {},
): ProviderResponseError {
  _checkOptions('providerBodyError', options, PROVIDER_BODY_ERROR_KEYS);
  const providerMessage = errorMessageOf(body);
  const bodyExcerpt = excerptOf(body);
  const http = options.status === undefined ? '' : ` (HTTP ${options.status})`;
  const message =
    providerMessage !== undefined
      ? `Provider response${http} is an error object: ${JSON.stringify(providerMessage)}`
      : `Provider response${http} has ${options.reason ?? 'no content'}: ${bodyExcerpt ?? '(no body)'}`;
  return new ProviderResponseError(message, {
    ...(options.status === undefined ? {} : { status: options.status }),
    ...(providerMessage === undefined ? {} : { providerMessage }),
    ...(bodyExcerpt === undefined ? {} : { bodyExcerpt }),
  });
}

function describeCause(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause === null || typeof cause !== 'object') return `${err.name}: ${err.message}`;
  const c = cause as { message?: unknown; code?: unknown };
  const code = typeof c.code === 'string' ? ` [${c.code}]` : '';
  return `${err.name}: ${err.message}; ${typeof c.message === 'string' ? c.message : String(cause)}${code}`;
}

/**
 * The runtime's view of a failed attempt whose response body was unusable: fetch's `TypeError: terminated`
 * (the connection closed before the body ended) or a `SyntaxError` (the body was not valid JSON) become a
 * {@link ProviderResponseError} with the original as `cause`; any other failure gives `undefined`.
 * @internal
 */
export function asProviderResponseError(
  err: unknown,
  exampleId: string | undefined,
): ProviderResponseError | undefined {
  const forExample = exampleId === undefined ? '' : ` for example "${exampleId}"`;
  const fields = { cause: err, ...(exampleId === undefined ? {} : { exampleId }) };
  // undici (Node's fetch) rejects a body read with exactly this TypeError when the socket closes mid-body.
  if (err instanceof TypeError && err.message === 'terminated')
    return new ProviderResponseError(
      `Provider response body was cut off before its end${forExample} (${describeCause(err)})`,
      fields,
    );
  if (err instanceof SyntaxError)
    return new ProviderResponseError(
      `Provider response is not valid JSON${forExample} (${err.name}: ${err.message})`,
      fields,
    );
  return undefined;
}

/** What the provider billed for the unusable responses it sent, by error (see {@link withBilledUsage}). */
const billed = new WeakMap<object, Usage>();

/**
 * Marks `err`, a failed attempt whose response the provider had begun to answer (a stream cut off before its last
 * event, or failed midway by an error event), with the tokens it bills for it: the usage the response reported so
 * far, or an estimate of the prompt and of the text that came. The runtime counts them in the run's totals, its
 * token and cost budgets and its TPM window, as it counts a successful call's. `err` may also be the attempt's
 * notice, marked by the sender as the attempt is stopped (a stream that stalled until the attempt's timeout, whose
 * error is the runtime's, not the sender's). Returns `err`.
 * @example
 * ```ts
 * throw withBilledUsage(cutStreamError, { inputTokens: 3, outputTokens: 1 }); // inside a sender
 * attempt.onAbort(() => withBilledUsage(attempt, usageSoFar())); // a stream stopped while it is read
 * ```
 * @internal
 */
export function withBilledUsage<E>(err: E, usage: Usage | undefined): E {
  if (usage !== undefined && err !== null && typeof err === 'object') billed.set(err, usage);
  return err;
}

/** The usage {@link withBilledUsage} marked `err` with, or `undefined`. @internal */
export function billedUsageOf(err: unknown): Usage | undefined {
  return err !== null && typeof err === 'object' ? billed.get(err) : undefined;
}
