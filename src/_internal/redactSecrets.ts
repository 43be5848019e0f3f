/**
 * Hiding credentials in the texts evalgate writes (error messages on records, trajectory steps, warnings, the
 * cluster wire): a provider's error body may echo the key it was sent (a gateway's "invalid key sk-…", a proxy
 * that quotes the Authorization header), and evalgate must not copy it into a result file or a report.
 * @module
 */

/** Header and query-parameter names that may carry a credential (`Authorization`, `x-api-key`, Azure's `api-key`, `sig`), as substrings: for hiding values that were sent, where a false match costs nothing. */
const SECRET_NAME = /key|token|secret|sig|auth|password|credential|cookie/i;

/**
 * The last words of a name that make it a credential's (`api-key`, `access_token`, `apiKey`, `password`): a query
 * parameter's (left out of a cache key), a header's, a field's of a metric definition.
 */
const CREDENTIAL_WORDS = new Set([
  'key',
  'apikey',
  'token',
  'secret',
  'sig',
  'signature',
  'auth',
  'authorization',
  'password',
  'passwd',
  'pwd',
  'credential',
  'credentials',
]);

/**
 * Credential words that name a credential in a data field only after a word of {@link CREDENTIAL_QUALIFIERS}
 * (`apiKey`, `access_token`, `url_signature`): alone or after another word they are ordinary data (a row's `key`,
 * a `sortKey`, a `primaryKey`, a token-level dataset's `token`, a tokenizer's `eos_token`, a pagination
 * `nextToken`, a function's `signature`). In a query string they are credentials alone too (`?key=…`, `&sig=…`).
 */
const DATA_WORDS_ALONE = new Set(['key', 'token', 'sig', 'signature']);

/** The words before `key`, `token`, `sig` or `signature` that make a data field a credential. */
const CREDENTIAL_QUALIFIERS = new Set([
  'api',
  'access',
  'secret',
  'private',
  'auth',
  'bearer',
  'session',
  'refresh',
  'id',
  'client',
  'subscription',
  'account',
  'service',
  'master',
  'signing',
  'security',
  'sas',
  'url',
  'request',
  'amz',
]);

/** The words of a name, split at `-`, `_`, `.`, spaces and camel case, lower-cased. */
function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Whether a query parameter named `name` carries a credential (left out of a cache key): its last word (split at
 * `-`, `_`, `.` and camel case) is a credential word, and `key`, `token`, `sig` or `signature` stands alone
 * (`?key=…`, `&sig=…`) or after a word such as `api`, `access` or `subscription` (see {@link _isCredentialField}).
 * By words, not a substring: `api_key_ids` (the admin usage filter: whose usage), `author`, `sortKey` or
 * `page_token` change the answer and are no credentials (a parameter left out of the key wrongly would answer
 * another request's response from the cache).
 * @example
 * ```ts
 * [_isCredentialName('api-key'), _isCredentialName('key'), _isCredentialName('sortKey')]; // => [true, true, false]
 * ```
 */
export function _isCredentialName(name: string): boolean {
  const words = nameWords(name);
  return words.length === 1 ? CREDENTIAL_WORDS.has(words[0] as string) : credentialAfterQualifier(words);
}

/**
 * Whether a data field named `name` (of a metric definition) holds a credential: as
 * {@link _isCredentialName}, except that `key`, `token`, `sig` and `signature` alone are data too
 * ({@link DATA_WORDS_ALONE}): a row's `key`.
 * @example
 * ```ts
 * [_isCredentialField('apiKey'), _isCredentialField('key'), _isCredentialField('sortKey')]; // => [true, false, false]
 * ```
 */
export function _isCredentialField(name: string): boolean {
  return credentialAfterQualifier(nameWords(name));
}

/** The last word is a credential word, and a word of {@link DATA_WORDS_ALONE} follows a credential qualifier. */
function credentialAfterQualifier(words: readonly string[]): boolean {
  const last = words[words.length - 1];
  if (last === undefined || !CREDENTIAL_WORDS.has(last)) return false;
  if (!DATA_WORDS_ALONE.has(last)) return true;
  const before = words[words.length - 2];
  return before !== undefined && CREDENTIAL_QUALIFIERS.has(before);
}

/** Shorter values are not hidden: a word that short would be cut out of unrelated text. */
const MIN_SECRET_CHARS = 8;

/** Bound on the `cause` chain walk (a cycle must not hang). */
const MAX_DEPTH = 8;

/** Bound on the nesting walked by {@link _redactCredentials} (a cycle must not hang; deeper data is left as is). */
const MAX_DATA_DEPTH = 64;

/**
 * The credentials one request was sent with, as they could be echoed back: the values of its credential headers
 * (a `Bearer` token also without its scheme), the password and user of its URL and the values of its credential
 * query parameters (as written and percent-decoded). Longest first, so that a secret containing another is
 * hidden whole.
 * @param url - the request's URL (a string, a `URL` or a `Request`), when known.
 * @param headers - its headers (a `Headers`, an array of pairs or a record), when known.
 * @param more - other values known to be secrets (a client's API key).
 */
export function _requestSecrets(url: unknown, headers: unknown, more: readonly unknown[] = []): string[] {
  const found = new Set<string>();
  const add = (value: unknown) => {
    if (typeof value !== 'string' || value.length < MIN_SECRET_CHARS) return;
    found.add(value);
    try {
      const decoded = decodeURIComponent(value);
      if (decoded.length >= MIN_SECRET_CHARS) found.add(decoded);
    } catch {
      // not percent-encoded: the value as written is enough
    }
    const bearer = /^\s*(?:bearer|basic|token)\s+(\S+)\s*$/i.exec(value)?.[1];
    if (bearer !== undefined) add(bearer);
  };
  for (const value of more) add(value);
  for (const [name, value] of headerPairs(headers)) if (SECRET_NAME.test(name)) add(value);
  const href =
    typeof url === 'string'
      ? url
      : url instanceof URL
        ? url.href
        : typeof (url as { url?: unknown } | null)?.url === 'string'
          ? (url as { url: string }).url
          : undefined;
  if (href !== undefined) {
    const userinfo = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)@/i.exec(href)?.[1];
    if (userinfo !== undefined) for (const part of userinfo.split(':')) add(part);
    const at = href.indexOf('?');
    if (at >= 0) {
      const query = href.slice(at + 1).replace(/#.*$/s, '');
      for (const pair of query.split('&')) {
        const eq = pair.indexOf('=');
        if (eq > 0 && SECRET_NAME.test(pair.slice(0, eq))) add(pair.slice(eq + 1));
      }
    }
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** The name / value pairs of headers given in any of the forms `fetch` takes. */
function headerPairs(headers: unknown): [string, unknown][] {
  if (headers === null || typeof headers !== 'object') return [];
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers)) {
    const out: [string, unknown][] = [];
    (headers as Headers).forEach((value, name) => {
      out.push([name, value]);
    });
    return out;
  }
  if (Array.isArray(headers))
    return headers.filter((p): p is [string, unknown] => Array.isArray(p) && typeof p[0] === 'string');
  return Object.entries(headers as Record<string, unknown>);
}

/** `text` with every occurrence of each of `secrets` replaced by `***`. */
export function _redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/**
 * Hides `secrets` in `err`'s message and stack, and in those of the errors it wraps (`cause`, an
 * `AggregateError`'s `errors`), in place: the error keeps its class and fields, so callers still branch on it.
 * Returns `err`.
 */
export function _redactError<E>(err: E, secrets: readonly string[]): E {
  if (secrets.length === 0) return err;
  const seen = new Set<unknown>();
  const walk = (e: unknown, depth: number) => {
    if (depth > MAX_DEPTH || e === null || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    for (const field of ['message', 'stack'] as const) {
      const value = (e as Record<string, unknown>)[field];
      if (typeof value !== 'string') continue;
      const safe = _redactText(value, secrets);
      if (safe === value) continue;
      try {
        Object.defineProperty(e, field, {
          value: safe,
          writable: true,
          configurable: true,
          enumerable: false,
        });
      } catch {
        // a frozen error: nothing evalgate can change
      }
    }
    walk((e as { cause?: unknown }).cause, depth + 1);
    const errors = (e as { errors?: unknown }).errors;
    if (Array.isArray(errors)) for (const inner of errors) walk(inner, depth + 1);
  };
  walk(err, 0);
  return err;
}

/**
 * Credentials recognisable by their shape alone, for texts whose request evalgate never saw (an AI SDK provider
 * keeps its key inside its own closure; a user's model may quote its client): OpenAI and Anthropic keys
 * (`sk-…`, `sk-proj-…`, `sk-ant-…`), the token of an `Authorization: Bearer` / `Basic` header, the value of a
 * credential header or field written as `api-key: …`, `x-api-key=…`, `"api_key": "…"`, and the password of a
 * URL's user info and the value of a credential query parameter (`?api-key=…`, `&sig=…`).
 */
const KNOWN_SHAPES: readonly RegExp[] = [
  /\bsk-[A-Za-z0-9_-]{16,}/g,
  /(?<=\b(?:bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
  /(?<=\b(?:x-)?(?:api[-_]?key|access[-_]?token|auth[-_]?token|authorization)["']?\s*[:=]\s*["']?)(?!(?:bearer|basic)\s)[^\s"',;&]{8,}/gi,
  /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:)[^\s/?#@]+(?=@)/gi,
  /(?<=[?&](?:[^\s=&#]*(?:key|token|secret|sig|password|credential)[^\s=&#]*)=)[^\s&#"']{8,}/gi,
];

/**
 * `text` with every credential recognisable by its shape (see {@link KNOWN_SHAPES}) replaced by `***`: the
 * backstop under the exact hiding of {@link _redactError}, applied wherever evalgate writes an error's message.
 * @example
 * ```ts
 * _redactKnownSecrets('401: Incorrect API key provided: Bearer sk-proj-abcdefghijklmnop0123');
 * // => '401: Incorrect API key provided: Bearer ***'
 * ```
 */
export function _redactKnownSecrets(text: string): string {
  let out = text;
  for (const shape of KNOWN_SHAPES) out = out.replace(shape, '***');
  return out;
}

/**
 * `value` (plain JSON data a user wrote: a metric's definition) as a shared file may show
 * it: the value of every field whose name is a credential's (`apiKey`, `api_key`, `password`, `authorization`;
 * see {@link _isCredentialField}) replaced by `***` whatever its shape, and every credential recognisable by its
 * shape in any other string hidden (see {@link _redactKnownSecrets}). `null`, booleans and empty strings are kept
 * (no secret, and `hasApiKey: false` stays readable). Returns `value` itself when nothing is hidden, so that data
 * without credentials is carried through unchanged (same object).
 * @example
 * ```ts
 * _redactCredentials({ judge: 'gpt-4o', apiKey: 'az-0123456789abcdef', note: 'Bearer abcdefgh12345678' });
 * // => { judge: 'gpt-4o', apiKey: '***', note: 'Bearer ***' }
 * ```
 */
export function _redactCredentials<T>(value: T): T {
  return redactData(value, 0) as T;
}

function redactData(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return _redactKnownSecrets(value);
  if (value === null || typeof value !== 'object' || depth > MAX_DATA_DEPTH) return value;
  const proto: unknown = Object.getPrototypeOf(value);
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const safe = redactData(v, depth + 1);
      if (safe === v) return;
      out ??= value.slice();
      out[i] = safe;
    });
    return out ?? value;
  }
  // A class instance (a Date, a Map) is the user's and not JSON written field by field: left as it is.
  if (proto !== Object.prototype && proto !== null) return value;
  let out: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(value)) {
    const safe =
      _isCredentialField(k) && v !== null && typeof v !== 'boolean' && v !== ''
        ? '***'
        : redactData(v, depth + 1);
    if (safe === v) continue;
    out ??= { ...value };
    out[k] = safe;
  }
  return out ?? value;
}
