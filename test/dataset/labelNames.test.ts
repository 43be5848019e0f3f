/**
 * loadLabels keeps every label the file holds, whatever its name: a label named `__proto__` (JSON.parse makes it an
 * own key) was assigned into a plain object, where it set the prototype and vanished, so the run's warning about
 * labels that name no metric never saw it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluate, loadLabels, type Metric, withLabels } from '../../src/index.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'evalgate-labelnames-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const judge: Metric = { name: 'judge', kind: 'binary', score: (c) => Number(c.example.input) % 2 };

describe('loadLabels: label names like inherited properties', () => {
  it('a label named __proto__ is kept as an own entry, and the run warns it names no metric', async () => {
    const path = join(dir, 'labels.jsonl');
    await writeFile(path, '{"id":"e1","labels":{"__proto__":1,"judge":1}}\n{"id":"e2","__proto__":0}\n');
    const labels = await loadLabels(path);
    const e1 = labels.get('e1')!;
    expect(Object.keys(e1)).toEqual(['__proto__', 'judge']);
    expect(Object.getPrototypeOf(e1)).toBe(Object.prototype);
    expect(Object.keys(labels.get('e2')!)).toEqual(['__proto__']);
    const data = Array.from({ length: 30 }, (_, i) => ({ id: `e${i}`, input: i }));
    const r = await evaluate(withLabels(data, labels), async (x) => String(x), [judge], { progress: false });
    expect(r.warnings).toContain(
      'human labels name metric `__proto__` (first on example "e1"), which this run does not compute (its metrics: `judge`): they are not used',
    );
  });
});
