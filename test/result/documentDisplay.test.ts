// result/ is plain data: evaluate(), compare() and loadResult() give bare documents until the package entry
// (src/index.ts) is imported, which installs the notebook display of report/ on every document made after.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Metric } from '../../src/core/types.js';
import { evaluate } from '../../src/evaluate.js';
import { compare } from '../../src/result/compare.js';
import { installDocumentDisplay } from '../../src/result/documentDisplay.js';
import { loadResult } from '../../src/result/loadResult.js';
import { saveResult } from '../../src/result/saveResult.js';

const DISPLAY = Symbol.for('Jupyter.display');
const dir = mkdtempSync(join(tmpdir(), 'evalgate-display-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const exact: Metric = {
  name: 'exact',
  kind: 'binary',
  score: ({ example, output }) => (output === example.reference ? 1 : 0),
};
const data = Array.from({ length: 40 }, (_, i) => ({ id: `q${i}`, input: i, reference: String(i) }));
const opts = { progress: false, resamples: 200, seed: 1 } as const;
const run = (miss: number) =>
  evaluate(data, async (x) => ((x as number) % miss === 0 ? 'x' : String(x)), [exact], opts);

describe('result documents and their display', () => {
  it('are bare data without the package entry, and carry the notebook display once it is imported', async () => {
    const [a, b] = [await run(4), await run(10)];
    const path = join(dir, 'a.json');
    await saveResult(a, path);
    const bare = [a, b, compare(a, b), await loadResult(path)];
    for (const doc of bare) expect(DISPLAY in doc).toBe(false);

    const entry = await import('../../src/index.js');
    const [c, d] = [await run(4), await run(10)];
    const shown = [c, d, compare(c, d), await loadResult(path)];
    for (const doc of shown) {
      const display = (doc as unknown as Record<symbol, () => { 'text/html': string; 'text/plain': string }>)[
        DISPLAY
      ];
      expect(typeof display, String(shown.indexOf(doc))).toBe('function');
      expect(Object.getOwnPropertyDescriptor(doc, DISPLAY)?.enumerable).toBe(false);
      expect(display!.call(doc)['text/html']).toContain('evalgate-nb');
    }
    // The display is report/'s bundle (the HTML root id differs per display; the text is the same).
    const shownBundle = (c as unknown as Record<symbol, () => { 'text/plain': string }>)[DISPLAY]!.call(c);
    expect(shownBundle['text/plain']).toBe(entry.resultBundle(c)['text/plain']);
    // The same data either way: the display is not part of the document.
    expect(JSON.parse(JSON.stringify(c.metrics))).toEqual(JSON.parse(JSON.stringify(a.metrics)));
    expect(JSON.stringify(shown[3])).toBe(JSON.stringify(bare[3]));
  });

  it('can be removed again (a document made after has no display)', async () => {
    await import('../../src/index.js');
    installDocumentDisplay(undefined);
    const r = await run(4);
    expect(DISPLAY in r).toBe(false);
  });
});
