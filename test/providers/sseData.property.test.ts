// The one SSE reader (src/_internal/sseData.ts) that the request router and the trajectory recorder share, read
// against the event-stream format: an event's data fields joined with "\n", comments and other fields ignored,
// CRLF / CR / LF line ends, and the same events however the stream is split into chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { _SseReader, _sseData } from '../../src/_internal/sseData.js';
import { _streamUsage } from '../../src/providers/_routeRequests.js';

describe('_sseData', () => {
  it.each([
    ['one event', 'data: {"a":1}\n\n', ['{"a":1}']],
    ['data lines of one event joined with \\n', 'data: {"a":\ndata: 1}\n\n', ['{"a":\n1}']],
    ['CRLF line ends', 'data: x\r\ndata: y\r\n\r\ndata: z\r\n\r\n', ['x\ny', 'z']],
    ['CR line ends', 'data: x\rdata: y\r\rdata: z\r\r', ['x\ny', 'z']],
    ['comments and other fields ignored', ': ping\nevent: error\nid: 7\nretry: 10\ndata: d\n\n', ['d']],
    ['an event without data gives nothing', 'event: ping\n\n: comment\n\n', []],
    ['one space after the colon dropped, not two', 'data:  two\n\ndata:none\n\n', [' two', 'none']],
    ['"data" without a colon is an empty value', 'data\ndata: x\n\n', ['\nx']],
    ['a field named otherwise is not data', 'datum: x\ndata : y\n\n', []],
    ['the last event read without its blank line (a cut stream)', 'data: a\n\ndata: b', ['a', 'b']],
    ['a leading byte-order mark dropped', '\uFEFFdata: x\n\n', ['x']],
    ['[DONE] is data like any other', 'data: [DONE]\n\n', ['[DONE]']],
  ])('%s', (_name, text, want) => {
    expect(_sseData(text)).toEqual(want);
  });
});

/** A line end, as a stream may use any of the three. */
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');
/** A field value: any text without a line end. */
const value = fc.string({ unit: 'grapheme', maxLength: 12 }).map((s) => s.replace(/[\r\n]/g, ''));
/** A line that is not data: a comment, or another field. */
const noise = fc.oneof(
  value.map((v) => `:${v}`),
  fc.tuple(fc.constantFrom('event', 'id', 'retry', 'dat', 'datas'), value).map(([f, v]) => `${f}: ${v}`),
);
/** An event: its data values (at least one) and the noise lines between them. */
const event = fc.array(fc.oneof({ weight: 3, arbitrary: value.map((v) => ({ data: v })) }, noise), {
  minLength: 1,
  maxLength: 5,
});

describe("the router's stream usage, read through _sseData", () => {
  // Regression: the router parsed each `data:` line alone, so an event whose JSON spans two data lines was lost.
  it('reads an event whose JSON spans two data lines', () => {
    const text =
      'data: {"choices":[],\ndata: "usage":{"prompt_tokens":3,"completion_tokens":1}}\n\ndata: [DONE]\n\n';
    expect(_streamUsage(text)).toEqual({ inputTokens: 3, outputTokens: 1 });
  });
  it('reads CR line ends', () => {
    const text = 'data: {"usage":{"prompt_tokens":3,"completion_tokens":1}}\rdata: x\r\r';
    expect(_streamUsage(text)).toBeUndefined(); // one event, "{…}\nx": not JSON
    expect(_streamUsage('data: {"usage":{"input_tokens":2,"output_tokens":5}}\r\r')).toEqual({
      inputTokens: 2,
      outputTokens: 5,
    });
  });
});

describe('_SseReader', () => {
  it('reads any split of a stream into chunks as the whole stream, and as its events were written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, fc.array(lineEnd, { minLength: 8, maxLength: 8 })), { maxLength: 6 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        (events, cuts) => {
          let text = '';
          const want: string[] = [];
          for (const [lines, ends] of events) {
            const data: string[] = [];
            lines.forEach((line, i) => {
              const end = ends[i % ends.length] as string;
              if (typeof line === 'string') text += `${line}${end}`;
              else {
                data.push(line.data);
                text += `data: ${line.data}${end}`;
              }
            });
            // The blank line that ends the event (an LF right after a CR would be that CR's line end, CRLF).
            const last = ends[(lines.length - 1) % ends.length];
            text += last === '\r' && ends[7] === '\n' ? '\r\n' : (ends[7] as string);
            if (data.length > 0) want.push(data.join('\n'));
          }
          const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
          const reader = new _SseReader();
          const got: string[] = [];
          let from = 0;
          for (const cut of [...at, text.length]) {
            got.push(...reader.push(text.slice(from, cut)));
            from = cut;
          }
          got.push(...reader.end());
          expect(got).toEqual(want);
          expect(_sseData(text)).toEqual(want);
        },
      ),
      { seed: 51, numRuns: 400 },
    );
  });
});
