import OpenAI from 'openai';
import { _describe } from '../_internal/describe.js';
import { wrapOpenAI } from './wrapOpenAI.js';

/**
 * The one client block of `openaiModel()`, the judges and `openaiEmbedder()`: checks the `client` option and
 * returns a getter of the wrapped client, created on first use so that importing or configuring never needs
 * `OPENAI_API_KEY`.
 * @param client - the user's client. @default `new OpenAI()` (reads `OPENAI_API_KEY` / `OPENAI_BASE_URL`)
 * @throws {TypeError} When `client` is not an `OpenAI` client.
 * @internal
 */
export function _lazyOpenAI(client: unknown): () => OpenAI {
  if (client !== undefined && !(client instanceof OpenAI))
    throw new TypeError(`Expected \`client\` to be an OpenAI client, got ${_describe(client)}`);
  let wrapped: OpenAI | undefined;
  return () => {
    wrapped ??= wrapOpenAI((client as OpenAI | undefined) ?? new OpenAI());
    return wrapped;
  };
}
