/**
 * Embeddings: deterministic vectors (mockEmbedding or the `embed` option) in the float or base64 wire format.
 * @module
 */
import { _HttpError } from './_httpError.js';
import type { _AnswerCall, _ModelApi, _Outcome } from './_modelApi.js';
import { _openaiWire } from './_openaiWire.js';
import { countMockTokens } from './countMockTokens.js';
import { mockEmbedding } from './mockEmbedding.js';

/** `POST /v1/embeddings`. */
export const _embeddingsApi: _ModelApi = {
  ..._openaiWire,
  api: 'embeddings',
  parse(body) {
    const { tokens } = _embeddingInputs(body);
    const input = body.input;
    return {
      fields: {
        // The first input text (token arrays have none).
        lastUserMessage:
          typeof input === 'string'
            ? input
            : Array.isArray(input) && typeof input[0] === 'string'
              ? input[0]
              : '',
        systemMessage: '',
        responseFormat: undefined,
        tools: undefined,
        forcedTool: undefined,
      },
      promptTokens: tokens,
    };
  },
  answer: _answerEmbeddings,
  malformed(seq) {
    return `{"object": "list", "data": [{"object": "embedding", "index": ${seq},`;
  },
};

/** The inputs of an embeddings body as texts, plus their token counts. */
function _embeddingInputs(body: Readonly<Record<string, unknown>>): {
  texts: string[];
  tokens: number;
} {
  const input = body.input;
  const bad = () =>
    new _HttpError(400, "Invalid 'input': expected a string, an array of strings, or token arrays.", 'input');
  let items: unknown[];
  if (typeof input === 'string') items = [input];
  else if (Array.isArray(input) && input.length > 0 && input.every((x) => typeof x === 'number'))
    items = [input];
  else if (Array.isArray(input) && input.length > 0) items = input;
  else throw bad();
  const texts: string[] = [];
  let tokens = 0;
  for (const item of items) {
    if (typeof item === 'string') {
      texts.push(item);
      tokens += countMockTokens(item);
    } else if (Array.isArray(item) && item.every((x) => Number.isInteger(x))) {
      // Token arrays are embedded by their ids; their usage is their length.
      texts.push(item.join(' '));
      tokens += item.length;
    } else throw bad();
  }
  return { texts, tokens };
}

/** Answers an embeddings request. */
async function _answerEmbeddings({ request: base, settings }: _AnswerCall): Promise<_Outcome> {
  const body = base.body;
  const { texts, tokens } = _embeddingInputs(body);
  const format = body.encoding_format ?? 'float';
  if (format !== 'float' && format !== 'base64')
    throw new _HttpError(400, "Invalid 'encoding_format': expected 'float' or 'base64'.", 'encoding_format');
  const dims = body.dimensions ?? settings.embeddingDimensions ?? 64;
  if (typeof dims !== 'number' || !Number.isInteger(dims) || dims < 1)
    throw new _HttpError(
      400,
      `Invalid 'dimensions': expected an integer >= 1, got ${JSON.stringify(dims)}.`,
      'dimensions',
    );
  const data: Record<string, unknown>[] = [];
  for (let index = 0; index < texts.length; index++) {
    const vector = settings.embed
      ? await settings.embed(texts[index], base)
      : mockEmbedding(texts[index], { dimensions: dims });
    data.push({
      object: 'embedding',
      index,
      embedding: format === 'base64' ? _toBase64(vector) : Array.from(vector),
    });
  }
  return {
    json: { object: 'list', data, model: base.model, usage: { prompt_tokens: tokens, total_tokens: tokens } },
    events: undefined,
    promptTokens: tokens,
    completionTokens: 0,
  };
}

/** float32 little-endian bytes, base64: what the openai SDK decodes when it asked for base64. */
export function _toBase64(vector: readonly number[]): string {
  const buf = Buffer.alloc(vector.length * 4);
  for (let i = 0; i < vector.length; i++) buf.writeFloatLE(vector[i], i * 4);
  return buf.toString('base64');
}
