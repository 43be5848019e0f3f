/**
 * The system under test for the example suite: a question-answering prompt run through an OpenAI-compatible
 * endpoint. Offline it is evalgate's mock server playing a model whose answers depend on the system prompt,
 * so the two prompts below differ the way real prompt edits do (format drift, occasional slips).
 *
 * Copy this file and replace `startQaServer` with your real endpoint (or keep the mock for fast, free CI).
 */
import { createHash } from 'node:crypto';
import OpenAI from 'openai';
// In your project: import { evaluate, openaiModel, type EvalResult } from 'evalgate'; and so on.
import { type EvalResult, type Example, evaluate, openaiModel } from '../../src/index.js';
import { exactMatch } from '../../src/metrics/exactMatch.js';
import { f1 } from '../../src/metrics/tokenF1.js';
import { startMockServer } from '../../src/testing/index.js';
import type { MockServer } from '../../src/testing/types.js';

/** The prompt in production: answers often come wrapped in a sentence. */
export const PROMPT_V1 = 'You are a helpful math tutor.';
/** The candidate prompt: asks for the bare answer. */
export const PROMPT_V2 = 'Answer with the number only.';

/** Deterministic uniform number in [0, 1) from a string: the mock's only source of "randomness". */
const unit = (text: string) => createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;

/** 200 arithmetic questions, the same on every run. */
export const questions: readonly Example[] = Array.from({ length: 200 }, (_, i) => {
  const a = 10 + Math.floor(unit(`a${i}`) * 90);
  const b = 10 + Math.floor(unit(`b${i}`) * 90);
  return { id: `add-${String(i).padStart(3, '0')}`, input: `What is ${a} + ${b}?`, reference: String(a + b) };
});

/** How the mock "model" answers `question` under `system`. */
function answer(system: string, question: string): string {
  const m = /What is (\d+) \+ (\d+)\?/.exec(question);
  if (!m) return "I don't know.";
  const sum = Number(m[1]) + Number(m[2]);
  const v2 = system === PROMPT_V2;
  // an arithmetic slip: ~5% of questions, not the same ones under both prompts
  const value = unit(`${v2 ? 'slip-v2' : 'slip-v1'}:${question}`) < 0.05 ? sum + 10 : sum;
  // format drift: the tutor prompt wraps a quarter of its answers in a sentence
  return !v2 && unit(`wrap:${question}`) < 0.25 ? `The answer is ${value}.` : String(value);
}

/** Starts the mock endpoint on a free port. */
export const startQaServer = (): Promise<MockServer> =>
  startMockServer({ respond: (req) => answer(req.systemMessage, req.lastUserMessage) });

/** Evaluates one system prompt: exact match and token F1, each with a 95% BCa interval. */
export function evaluatePrompt(server: MockServer, system: string): Promise<EvalResult> {
  const client = new OpenAI({ baseURL: server.url, apiKey: 'mock-key' });
  const model = openaiModel({ client, model: 'mock-model', system, temperature: 0 });
  return evaluate(questions, model, [exactMatch(), f1()], { concurrency: 16, seed: 1 });
}
