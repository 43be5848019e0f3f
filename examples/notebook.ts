/**
 * evalgate outside a test runner: the same calls you would make in a notebook or a REPL to explore a change
 * before writing a gate for it. Runs offline against the mock endpoint of the example suite.
 *
 *   npx tsx examples/notebook.ts
 *
 * (In Jupyter with the Deno kernel, examples/notebook.ipynb makes the same calls, and its cells display results
 * and comparisons as tables with forest plots.)
 *
 * It evaluates two system prompts on 200 questions, prints each result with its confidence intervals,
 * compares them example by example, and writes the results and an HTML report under results/.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The package by its name, as in your project. Here tsx and the typecheck map the name to src/ (tsconfig.json
// `paths`); plain Node resolves a package's own name through its `exports`, to the built dist/.
import { compare, formatComparisonTable, formatResultTable, saveResult, writeHtmlReport } from 'evalgate';
import { evaluatePrompt, PROMPT_V1, PROMPT_V2, startQaServer } from './vitest/_qa.js';

const outDir = fileURLToPath(new URL('../results/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const server = await startQaServer();
try {
  // 1. Evaluate each prompt: every metric comes with a 95% BCa interval, failures are counted, not hidden.
  const v1 = await evaluatePrompt(server, PROMPT_V1);
  const v2 = await evaluatePrompt(server, PROMPT_V2);
  console.log(`prompt v1: ${JSON.stringify(PROMPT_V1)}\n${formatResultTable(v1)}\n`);
  console.log(`prompt v2: ${JSON.stringify(PROMPT_V2)}\n${formatResultTable(v2)}\n`);

  // 2. Look at the numbers directly: they are plain data.
  const em = v2.metrics.exact_match!;
  console.log(
    `v2 exact match ${em.mean.toFixed(3)}, 95% CI [${em.ci.low.toFixed(3)}, ${em.ci.high.toFixed(3)}], n=${em.n}`,
  );
  const misses = v2.examples.filter((r) => r.scores.exact_match === 0).slice(0, 3);
  for (const r of misses)
    console.log(`  missed ${r.id}: ${JSON.stringify(r.input)} -> ${JSON.stringify(r.output)}`);

  // 3. Compare on the same examples: paired tests have far more power than two separate intervals.
  const comparison = compare(v1, v2, { margin: 0.02 });
  console.log(`\nv2 - v1:\n${formatComparisonTable(comparison)}\n`);

  // 4. Keep the evidence: result files for a later `evalgate compare`, and a report to share.
  await saveResult(v1, `${outDir}notebook-v1.json`);
  await saveResult(v2, `${outDir}notebook-v2.json`);
  await writeHtmlReport(v2, `${outDir}notebook-report.html`, {
    baseline: v1,
    comparison,
    title: 'Prompt v2 vs v1',
  });
  console.log(`wrote ${outDir}notebook-v1.json, notebook-v2.json and notebook-report.html`);
  console.log(
    `try: npx tsx src/cli.ts compare ${outDir}notebook-v1.json ${outDir}notebook-v2.json --margin 0.02`,
  );
} finally {
  await server.close();
}
