/** An error the mock answers with an OpenAI error body: `{ error: { message, type, param, code } }`. */
export class _HttpError extends Error {
  readonly status: number;
  readonly type: string;
  readonly param: string | null;
  readonly code: string | null;

  constructor(status: number, message: string, param: string | null = null, code: string | null = null) {
    super(message);
    this.status = status;
    this.type =
      status === 404 ? 'invalid_request_error' : status >= 500 ? 'server_error' : 'invalid_request_error';
    this.param = param;
    this.code = code;
  }

  /** The wire body. */
  body(): { error: { message: string; type: string; param: string | null; code: string | null } } {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}
