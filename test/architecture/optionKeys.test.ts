/**
 * Every public options object refuses a key it does not know: a misspelled option (`confidnce: 0.99`,
 * `alternatve: 'greater'`, `temprature: 0`) would otherwise keep the default and change a number silently.
 *
 * The rule, read with the TypeScript compiler API from the entry points of package.json's `exports`: an exported
 * function (a `function` declaration, or a `const` holding an arrow or function expression; every overload
 * signature read) is covered when one of its parameters is named `options` or ends in `Options`, or is annotated
 * with a type whose name ends in `Options`. Each covered function has an entry in `CALLS` (a minimal valid call
 * spreading the extra keys into its options object), and each entry, called with `{ zzUnknown: 1 }` added, must
 * throw or reject a TypeError naming `zzUnknown`. A function added later without an entry fails here; so does
 * an entry for a function no longer exported.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import * as agents from '../../src/agents/index.js';
import * as cache from '../../src/cache/index.js';
import * as root from '../../src/index.js';
import * as judge from '../../src/judge/index.js';
import * as metrics from '../../src/metrics/index.js';
import * as stats from '../../src/stats/index.js';
import * as testing from '../../src/testing/index.js';
import { entryProgram, ROOT } from './_entryPoints.js';

/** Whether a parameter is an options object by the rule above. */
function isOptionsParameter(p: ts.ParameterDeclaration): boolean {
  const name = ts.isIdentifier(p.name) ? p.name.text : '';
  if (name === 'options' || /Options$/.test(name)) return true;
  const type = p.type;
  return type !== undefined && ts.isTypeReferenceNode(type) && /Options$/.test(type.typeName.getText());
}

/** Every exported function of the entry points with an options parameter: name -> declaring file. */
function functionsWithOptions(): Map<string, string> {
  const { entries, program, checker } = entryProgram();
  const found = new Map<string, string>();
  for (const file of entries) {
    const source = program.getSourceFile(file);
    if (source === undefined) throw new Error(`${file} (named in package.json "exports") does not exist`);
    const moduleSymbol = checker.getSymbolAtLocation(source);
    if (moduleSymbol === undefined) continue;
    for (const exported of checker.getExportsOfModule(moduleSymbol)) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      for (const decl of symbol.declarations ?? []) {
        let params: readonly ts.ParameterDeclaration[] | undefined;
        if (ts.isFunctionDeclaration(decl)) params = decl.parameters;
        else if (ts.isVariableDeclaration(decl)) {
          const init = decl.initializer;
          if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) params = init.parameters;
        }
        if (params?.some(isOptionsParameter))
          found.set(exported.name, relative(ROOT, decl.getSourceFile().fileName).split(sep).join('/'));
      }
    }
  }
  return found;
}

type Extra = Record<string, unknown>;
type Call = (extra: Extra) => unknown;

const ex = { id: 'a', input: 'q', reference: 'a' };
let result: root.EvalResult;
const dir = mkdtempSync(join(tmpdir(), 'evalgate-option-keys-'));
const complete = async () => '{"score": 1, "reason": "ok"}';
const embed = async (texts: readonly string[]) => texts.map(() => [1, 0]);
const tokens = { tokens: ['a'], embeddings: [[1, 0]] };

/** A minimal valid call of each covered function, its options object spread with `extra`. */
const CALLS: Readonly<Record<string, Call>> = {
  // metrics
  bertScore: (x) => metrics.bertScore({ embedTokens: async (texts) => texts.map(() => tokens), ...x }),
  bertScoreFromEmbeddings: (x) => metrics.bertScoreFromEmbeddings(tokens, tokens, { ...x }),
  bleu: (x) => metrics.bleu({ tokenize: '13a', ...x }),
  sentenceBleu: (x) => metrics.sentenceBleu('a b', ['a b'], { ...x }),
  corpusBleu: (x) => metrics.corpusBleu(['a b'], [['a b']], { ...x }),
  chrf: (x) => metrics.chrf({ ...x }),
  sentenceChrf: (x) => metrics.sentenceChrf('a b', ['a b'], { ...x }),
  corpusChrf: (x) => metrics.corpusChrf(['a b'], [['a b']], { ...x }),
  contains: (x) => metrics.contains({ ignoreCase: true, ...x }),
  containsScore: (x) => metrics.containsScore('a b', 'a', { ...x }),
  embeddingSimilarity: (x) => metrics.embeddingSimilarity({ embed, ...x }),
  exactMatch: (x) => metrics.exactMatch({ ...x }),
  exactMatchScore: (x) => metrics.exactMatchScore('a', ['a'], { ...x }),
  jsonMatch: (x) => metrics.jsonMatch({ ...x }),
  jsonMatchScore: (x) => metrics.jsonMatchScore('{}', {}, { ...x }),
  jsonValid: (x) => metrics.jsonValid({ ...x }),
  jsonValidScore: (x) => metrics.jsonValidScore('{}', { ...x }),
  levenshtein: (x) => metrics.levenshtein({ ...x }),
  levenshteinSimilarity: (x) => metrics.levenshteinSimilarity('a', 'b', { ...x }),
  openaiEmbedder: (x) => metrics.openaiEmbedder({ model: 'text-embedding-3-small', ...x }),
  regexMatch: (x) => metrics.regexMatch('a', { ...x }),
  regexMatchScore: (x) => metrics.regexMatchScore('a', 'a', { ...x }),
  rougeL: (x) => metrics.rougeL({ ...x }),
  rougeLScore: (x) => metrics.rougeLScore('a', 'a', { ...x }),
  f1: (x) => metrics.f1({ ...x }),
  tokenF1: (x) => metrics.tokenF1('a', ['a'], { ...x }),
  // stats
  bootstrapCI: (x) => stats.bootstrapCI([1, 2, 3], { confidence: 0.99, ...x }),
  cohensD: (x) => stats.cohensD([1, 2, 3], [2, 3, 5], { ...x }),
  cohensKappa: (x) => stats.cohensKappa([0, 1, 1], [0, 1, 0], { ...x }),
  confidenceSequence: (x) => stats.confidenceSequence([0.5, 0.25], { ...x }),
  createConfidenceSequence: (x) => stats.createConfidenceSequence({ ...x }),
  judgeAgreement: (x) => stats.judgeAgreement([0, 1, 1], [0, 1, 0], { kind: 'binary', ...x }),
  kendallTau: (x) => stats.kendallTau([1, 2, 3], [1, 3, 2], { ...x }),
  krippendorffAlpha: (x) =>
    stats.krippendorffAlpha(
      [
        [1, 2, 3],
        [1, 2, 2],
      ],
      { ...x },
    ),
  labelsNeeded: (x) => stats.labelsNeeded({ correlation: 0.8, N: 1000, halfWidth: 0.05, ...x }),
  mcnemarTest: (x) => stats.mcnemarTest([1, 0, 1], [0, 0, 1], { ...x }),
  mcnemarTestFromTable: (x) =>
    stats.mcnemarTestFromTable(
      [
        [3, 1],
        [4, 2],
      ],
      { ...x },
    ),
  pairedTTest: (x) => stats.pairedTTest([1, 2, 3], [2, 3, 5], { alternative: 'greater', ...x }),
  ppiMean: (x) => stats.ppiMean({ human: [0, 1, 1], judge: [0, 1, 0] }, [1, 0, 1, 1], { ...x }),
  roganGladen: (x) => stats.roganGladen({ human: [0, 1, 1], judge: [0, 1, 0] }, [1, 0, 1, 1], { ...x }),
  sampleSize: (x) => stats.sampleSize({ test: 'paired-t', minDetectableEffect: 0.1, sd: 0.3, ...x }),
  minimumDetectableEffect: (x) => stats.minimumDetectableEffect({ test: 'paired-t', n: 100, sd: 0.3, ...x }),
  spearman: (x) => stats.spearman([1, 2, 3], [1, 3, 2], { ...x }),
  wilcoxonSignedRankTest: (x) => stats.wilcoxonSignedRankTest([1, 2, 3], [2, 4, 6], { ...x }),
  // judge
  answerRelevance: (x) => judge.answerRelevance({ model: 'judge', client: complete, embed, ...x }),
  contextPrecision: (x) => judge.contextPrecision({ model: 'judge', client: complete, ...x }),
  contextRecall: (x) => judge.contextRecall({ model: 'judge', client: complete, ...x }),
  contextRelevance: (x) => judge.contextRelevance({ model: 'judge', client: complete, ...x }),
  faithfulness: (x) => judge.faithfulness({ model: 'judge', client: complete, ...x }),
  gEval: (x) => judge.gEval({ model: 'judge', client: complete, criteria: 'Correct.', ...x }),
  judgeBiasReport: (x) => judge.judgeBiasReport(result, 'exact_match', { ...x }),
  llmJudge: (x) => judge.llmJudge({ model: 'judge', client: complete, rubric: 'Correct?', ...x }),
  pairwiseJudge: (x) =>
    judge.pairwiseJudge({ model: 'judge', client: complete, criteria: 'Better?', baseline: () => 'b', ...x }),
  // agents
  goalCompletion: (x) => agents.goalCompletion({ judge: { model: 'judge', client: complete }, ...x }),
  matchToolArguments: (x) => agents.matchToolArguments({ city: 'Paris' }, { city: 'Paris' }, { ...x }),
  toolArguments: (x) => agents.toolArguments({ ...x }),
  toolArgumentsScore: (x) => agents.toolArgumentsScore([], [], { ...x }),
  toolErrorRecovery: (x) => agents.toolErrorRecovery({ ...x }),
  toolOrder: (x) => agents.toolOrder({ ...x }),
  toolSelection: (x) => agents.toolSelection({ ...x }),
  trajectoryEfficiency: (x) => agents.trajectoryEfficiency({ ...x }),
  // cache
  sqliteCache: (x) => cache.sqliteCache(join(dir, 'cache.sqlite'), { ...x }),
  redisCache: (x) => cache.redisCache({ url: 'redis://127.0.0.1:1', ...x }),
  // root: run, calls, cluster, providers, result
  evaluate: (x) => root.evaluate([ex], async () => 'a', [metrics.exactMatch()], { concurrency: 1, ...x }),
  rateLimiter: (x) => root.rateLimiter({ rpm: 60, ...x }),
  redisRateLimiter: (x) => root.redisRateLimiter({ url: 'redis://127.0.0.1:1', name: 'keys', rpm: 60, ...x }),
  providerBodyError: (x) => root.providerBodyError({ error: { message: 'no' } }, { status: 200, ...x }),
  runWorker: (x) => root.runWorker({ redis: 'redis://127.0.0.1:1', task: './task.js', ...x }),
  estimateCost: (x) => root.estimateCost([ex], { model: 'gpt-4o-mini', ...x }),
  openaiModel: (x) => root.openaiModel({ model: 'gpt-4o-mini', client: {} as never, temperature: 0, ...x }),
  baseline: (x) => root.baseline(join(dir, 'baseline.json'), result, { createIfMissing: true, ...x }),
  compare: (x) => root.compare(result, result, { ...x }),
  // dataset, report, testing
  loadJsonl: (x) => root.loadJsonl(join(dir, 'data.jsonl'), { ...x }),
  renderHtmlReport: (x) => root.renderHtmlReport(result, { title: 'run', ...x }),
  writeHtmlReport: (x) => root.writeHtmlReport(result, join(dir, 'report.html'), { title: 'run', ...x }),
  renderHistoryReport: (x) => root.renderHistoryReport([result], { title: 'runs', ...x }),
  writeHistoryReport: (x) => root.writeHistoryReport([result], join(dir, 'history.html'), { ...x }),
  mockEmbedding: (x) => testing.mockEmbedding('the cat sat', { dimensions: 8, ...x }),
  startMockServer: async (x) => {
    const server = await testing.startMockServer({ latencyMs: 0, ...x });
    await server.close();
  },
  sampleForLabeling: (x) => root.sampleForLabeling(result, 1, { seed: 1, ...x }),
};

/** Calls `call` with `extra`, resolving to what it threw or rejected with (undefined when neither). */
async function thrownBy(call: Call, extra: Extra): Promise<unknown> {
  try {
    const out = call(extra);
    if (out instanceof Promise) await out;
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('options objects refuse unknown keys', () => {
  const covered = functionsWithOptions();

  beforeAll(async () => {
    result = await root.evaluate([ex, { id: 'b', input: 'q', reference: 'b' }], async () => 'a', [
      metrics.exactMatch(),
    ]);
  });

  it('finds the options-taking functions of the entry points', () => {
    expect(covered.size).toBeGreaterThan(60);
    expect([...covered.keys()]).toEqual(
      expect.arrayContaining(['bootstrapCI', 'bleu', 'openaiModel', 'evaluate']),
    );
  });

  it('has a call for every covered function, and nothing else', () => {
    const missing = [...covered.keys()].filter((name) => CALLS[name] === undefined);
    expect(missing, `functions taking options without an entry in CALLS: ${missing.join(', ')}`).toEqual([]);
    const stale = Object.keys(CALLS).filter((name) => !covered.has(name));
    expect(stale, 'entries for functions no longer exported with an options parameter').toEqual([]);
  });

  // These would connect to a Redis server; their valid options are exercised by test/cache and test/cluster.
  const connects = new Set(['redisCache', 'redisRateLimiter', 'runWorker']);
  it.each(Object.keys(CALLS).filter((name) => !connects.has(name)))(
    '%s accepts its minimal valid options',
    async (name) => {
      const err = await thrownBy(CALLS[name]!, {});
      // A call that goes on to do its work may fail for reasons of its own (no server at the URL); what matters is
      // that it is not the options check refusing the valid object.
      expect(String(err ?? '')).not.toMatch(/Unknown option/);
    },
  );

  it.each(Object.keys(CALLS))('%s refuses { zzUnknown: 1 } with a TypeError naming it', async (name) => {
    const err = await thrownBy(CALLS[name]!, { zzUnknown: 1 });
    expect(err).toBeInstanceOf(TypeError);
    expect((err as Error).message).toMatch(/^Unknown option `(\w+\.)?zzUnknown`, got `1` \(number\)$/);
  });

  it('refuses a misspelled key of a nested options object, naming the path', () => {
    expect(() =>
      agents.goalCompletion({ judge: { model: 'judge', client: complete, modle: 'x' } as never }),
    ).toThrow(new TypeError('Unknown option `goalCompletion.judge.modle`, got `"x"` (string)'));
  });

  it('refuses the typos that used to change a number silently', () => {
    expect(() => stats.bootstrapCI([1, 2, 3], { confidnce: 0.99 } as never)).toThrow(
      'Unknown option `bootstrapCI.confidnce`, got `0.99` (number)',
    );
    expect(() => stats.pairedTTest([1, 2, 3], [2, 3, 5], { alternatve: 'greater' } as never)).toThrow(
      'Unknown option `pairedTTest.alternatve`',
    );
    expect(() => metrics.bleu({ tokenise: 'none' } as never)).toThrow('Unknown option `bleu.tokenise`');
    expect(() => root.openaiModel({ model: 'm', client: {} as never, temprature: 0 } as never)).toThrow(
      'Unknown option `openaiModel.temprature`',
    );
  });
});
