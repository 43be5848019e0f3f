/**
 * A stand-in "LLM" for the offline demo: it solves the generated questions of examples/data/arithmetic.jsonl
 * and makes deterministic, plausible mistakes at a rate set per model name, so two model variants differ
 * measurably. Used as the mock server's answer function.
 */
import { createHash } from 'node:crypto';

/** Share of questions each mock model gets wrong. */
export const ERROR_RATES: Readonly<Record<string, number>> = { 'mock-strong': 0.08, 'mock-weak': 0.3 };

/** Deterministic uniform number in [0, 1) from a string. */
export function unitHash(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/** The correct answer to a generated question, or undefined for anything else. */
export function solve(question: string): string | undefined {
  let m = /What is (\d+) ([+\-*]) (\d+)\?/.exec(question);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[3]);
    return String(m[2] === '+' ? a + b : m[2] === '-' ? a - b : a * b);
  }
  m = /What is the (\d)\w\w letter of the word "(\w+)"\?/.exec(question);
  if (m) return m[2]![Number(m[1]) - 1];
  m = /How many letters are in the word "(\w+)"\?/.exec(question);
  if (m) return String(m[1]!.length);
  return undefined;
}

/** Answers like a model of the given name: right, or wrong by a plausible slip. */
export function mockAnswer(model: string, question: string): string {
  const right = solve(question);
  if (right === undefined) return "I don't know.";
  const rate = ERROR_RATES[model] ?? 0.5;
  if (unitHash(`${model}\u0000${question}`) >= rate) return right;
  const n = Number(right);
  return Number.isFinite(n) ? String(n + (unitHash(question) < 0.5 ? 1 : -1)) : right === 'e' ? 'a' : 'e';
}
