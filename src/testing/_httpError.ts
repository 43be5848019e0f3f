/**
 * A request the mock refuses. It carries what every API's error body needs; the route's wire format renders it
 * (OpenAI `{ error: { message, type, param, code } }`, Anthropic `{ type: 'error', error: { type, message } }`).
 */
export class _HttpError extends Error {
  readonly status: number;
  /** OpenAI's `error.type` (Anthropic's type is derived from the status). */
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;
  /** Extra response headers (`retry-after`, rate-limit headers). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    message: string,
    param: string | null = null,
    code: string | null = null,
    extra: { readonly type?: string; readonly headers?: Readonly<Record<string, string>> } = {},
  ) {
    super(message);
    this.status = status;
    this.type = extra.type ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    this.param = param;
    this.code = code;
    this.headers = extra.headers ?? {};
  }
}
