// GitHub issue 11, case 16: files a user brings or gets back. A UTF-8 byte order mark on a dataset or a result
// file, a failure-rate error when the records went to `output`, a result too large for one string, and an HTML
// report whose cells hold megabytes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  evaluate,
  FailureRateExceededError,
  loadJsonl,
  loadResult,
  type Metric,
  renderHtmlReport,
  saveResult,
} from '../../src/index.js';

const dir = mkdtempSync(join(tmpdir(), 'evalgate-files-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const BOM = '\uFEFF';
const echo = async (input: unknown) => String(input);
const length: Metric = { name: 'length', kind: 'continuous', score: ({ output }) => output.length };
const opts = { resamples: 99, progress: false } as const;

describe('a UTF-8 byte order mark', () => {
  it('loadJsonl strips it from the first line and keeps every row', async () => {
    const path = join(dir, 'bom.jsonl');
    writeFileSync(path, `${BOM}{"id":"a","input":"x"}\r\n{"id":"b","input":"\uFEFFkept"}\r\n`);
    const rows = [];
    for await (const ex of loadJsonl(path)) rows.push(ex);
    // Only the file's mark is dropped: one inside a value is data.
    expect(rows).toEqual([
      { id: 'a', input: 'x' },
      { id: 'b', input: '\uFEFFkept' },
    ]);
  });

  it('loadJsonl of a file holding only a BOM is empty, not an error', async () => {
    const path = join(dir, 'bom-only.jsonl');
    writeFileSync(path, BOM);
    const rows = [];
    for await (const ex of loadJsonl(path)) rows.push(ex);
    expect(rows).toEqual([]);
  });

  it('loadResult reads a saved result that an editor re-saved with a BOM', async () => {
    const result = await evaluate(
      [
        { id: 'a', input: 'x' },
        { id: 'b', input: 'yy' },
      ],
      echo,
      [length],
      opts,
    );
    const path = join(dir, 'bom-result.json');
    await saveResult(result, path);
    writeFileSync(path, BOM + readFileSync(path, 'utf8'));
    const back = await loadResult(path);
    expect(back.metrics.length!.mean).toBe(1.5);
    expect(back.examples.map((r) => r.id)).toEqual(['a', 'b']);
  });
});

describe('FailureRateExceededError', () => {
  it('names the first error even when the records stream to `output`', async () => {
    const path = join(dir, 'failed.jsonl');
    const model = async (input: unknown) => {
      if (input === 'ok') return 'fine';
      throw new TypeError(`cannot answer ${String(input)}`);
    };
    const rows = [
      { id: 'good', input: 'ok' },
      { id: 'bad1', input: 'q1' },
      { id: 'bad2', input: 'q2' },
    ];
    const err = await evaluate(rows, model, [length], { ...opts, output: path, concurrency: 1 }).catch(
      (e) => e,
    );
    expect(err).toBeInstanceOf(FailureRateExceededError);
    expect(err.message).toBe(
      '2 of 3 rows failed (66.7%), more than maxFailureRate 0.05; the partial result is attached as error.result. ' +
        'First error: "bad1": TypeError: cannot answer q1',
    );
    expect(err.result.examples).toEqual([]);
    expect(err.result.examplesFile).toBe(path);
    const written = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(written.map((r: { id: string }) => r.id)).toEqual(['good', 'bad1', 'bad2']);
  });
});

describe('saveResult on a result too large for one string', () => {
  it('fails with a RangeError that says to use `output`, and writes nothing', async () => {
    const result = await evaluate([{ id: 'a', input: 'x' }], echo, [length], opts);
    // V8's longest string is 2^29 - 24 characters (Node 20), so a real one needs > 512 MB of records. A value
    // whose JSON is one string past that limit makes JSON.stringify throw the same RangeError without allocating it.
    const huge = { toJSON: () => 'x'.repeat(2 ** 30) };
    const big = { ...result, examples: [{ ...result.examples[0]!, metadata: { huge } }] };
    const path = join(dir, 'huge.json');
    const err = await saveResult(big as typeof result, path).catch((e) => e);
    expect(err).toBeInstanceOf(RangeError);
    expect(err.message).toBe(
      `Cannot save \`result\` to "${path}": its JSON is longer than the longest string JavaScript can hold (Invalid string length). ` +
        'Run evaluate() with `output: "records.jsonl"` so the records stream to a file and the result keeps only the score table',
    );
    expect(err.cause).toBeInstanceOf(RangeError);
    expect(() => readFileSync(path)).toThrow(/ENOENT/);
  });
});

describe('the HTML report with very long cells', () => {
  it('a 1 MB output shows its first 2,000 characters; the whole text is in a closed <details>', async () => {
    const long = `${'a'.repeat(1999)}<b>${'z'.repeat(1_000_000)}END`;
    const result = await evaluate(
      [
        { id: 'long', input: 'long' },
        { id: 'short', input: 'short' },
      ],
      async (input) => (input === 'long' ? long : 'tiny'),
      [length],
      opts,
    );
    const html = renderHtmlReport(result);
    const cell = html.slice(
      html.indexOf('<td class="id">long</td>'),
      html.indexOf('<td class="id">short</td>'),
    );
    // The visible preview: 2,000 characters (the cut falls inside the tag, which stays escaped), then an ellipsis.
    // (Booleans, not toContain: a failure must not print a megabyte.)
    const preview = `<div class="text">${'a'.repeat(1999)}&lt;<span class="dim">…</span><details class="full"><summary>show all 1,002,005 characters</summary>`;
    expect(long.length).toBe(1_002_005);
    expect(cell.includes(preview)).toBe(true);
    // The full text, escaped, exactly once inside the <details>, and nothing of it raw.
    const full = `${'a'.repeat(1999)}&lt;b&gt;${'z'.repeat(1_000_000)}END</details>`;
    expect(cell.split(full).length - 1).toBe(1);
    expect(cell.includes('<b>')).toBe(false);
    // Closed: the browser lays out only the preview until the reader opens it.
    expect(cell.includes('<details class="full" open')).toBe(false);
    // A short cell is left as it was.
    expect(html).toContain('<div class="text">tiny</div>');
  });

  it('a cell of exactly 2,000 characters is not folded, 2,001 is', async () => {
    const result = await evaluate(
      [
        { id: 'at', input: 'x'.repeat(2000) },
        { id: 'over', input: 'y'.repeat(2001) },
      ],
      echo,
      [length],
      opts,
    );
    const html = renderHtmlReport(result);
    expect(html).toContain(`<div class="text">${'x'.repeat(2000)}</div>`);
    expect(html).not.toContain(`show all 2,000 characters`);
    expect(html).toContain('<summary>show all 2,001 characters</summary>');
  });

  it('never cuts a surrogate pair: an emoji at the cut stays whole', async () => {
    const text = `${'a'.repeat(1999)}😀${'b'.repeat(100)}`;
    const result = await evaluate([{ id: 'e', input: text }], echo, [length], opts);
    const html = renderHtmlReport(result);
    expect(html).toContain(`<div class="text">${'a'.repeat(1999)}<span class="dim">…</span>`);
    expect(html).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('long error messages and metric details are folded too', async () => {
    const reason = 'r'.repeat(5000);
    const judge: Metric = { name: 'judge', kind: 'binary', score: () => ({ value: 1, details: { reason } }) };
    const result = await evaluate(
      [
        { id: 'ok', input: 'x' },
        { id: 'err', input: 'y' },
      ],
      async (input) => {
        if (input === 'y') throw new TypeError('m'.repeat(5000));
        return 'x';
      },
      [judge],
      { ...opts, maxFailureRate: 1 },
    );
    const html = renderHtmlReport(result);
    expect(html).toContain('<summary>show all 5,000 characters</summary>');
    expect(html.match(/<details class="full">/g)).toHaveLength(2);
  });
});
