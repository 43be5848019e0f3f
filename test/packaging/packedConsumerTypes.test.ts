/**
 * A newcomer's TypeScript project compiles against the package as npm publishes it. The SDKs are optional peers
 * (README, Install); a project with `skipLibCheck: false` checks evalgate's `.d.ts` files too, so a declaration
 * that names `openai`'s types (openaiModel's chat parameters did) fails `import { evaluate } from 'evalgate'`
 * with `Cannot find module 'openai/resources/chat/completions'` in a project that never installed openai.
 *
 * The package is `npm pack`ed (its `prepack` builds `dist`), unpacked into a consumer's `node_modules`, its
 * dependencies linked from this repository's; then tsc checks one consumer file without openai, with openai 7
 * and with openai 6: it compiles every time (importing every entry point but evalgate/vitest, whose types are
 * vitest's), the SDK's own parameter and message types are accepted, and a misspelled chat parameter is still a
 * compile error.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
};

const work = mkdtempSync(join(tmpdir(), 'evalgate-packed-'));
let tarball = '';
afterAll(() => rmSync(work, { recursive: true, force: true }));

beforeAll(() => {
  const r = spawnSync('npm', ['pack', '--silent', '--pack-destination', work], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`npm pack failed:\n${r.stdout}${r.stderr}`);
  tarball = join(work, r.stdout.trim().split('\n').pop()!);
}, 250_000);

const USES = `import { evaluate, openaiModel, type OpenAIModelOptions } from 'evalgate';
import * as agents from 'evalgate/agents';
import * as aiSdk from 'evalgate/ai-sdk';
import * as cache from 'evalgate/cache';
import * as judge from 'evalgate/judge';
import { exactMatch } from 'evalgate/metrics';
import * as stats from 'evalgate/stats';
import * as testing from 'evalgate/testing';

export const entries = [agents, aiSdk, cache, judge, stats, testing];

const model = openaiModel({
  model: 'gpt-4o-mini',
  temperature: 0,
  max_tokens: 5,
  stop: ['\\n'],
  response_format: { type: 'json_object' },
  tools: [{ type: 'function', function: { name: 'answer', parameters: { type: 'object' } } }],
  tool_choice: 'auto',
  prompt: (ex) => [
    { role: 'system', content: 'Answer briefly.' },
    { role: 'user', content: String(ex.input) },
  ],
});
export const run = () => evaluate([{ input: '2 + 2?', reference: '4' }], model, [exactMatch()]);
export const options: OpenAIModelOptions = { model: 'm', seed: 1 };
// @ts-expect-error: a misspelled chat parameter is refused by the compiler, as it is at run time
openaiModel({ model: 'm', temprature: 0 });
// @ts-expect-error: a chat parameter keeps its value type
openaiModel({ model: 'm', temperature: '0' });
`;

/** What a project with the SDK installed also passes: the SDK's own types. */
const SDK_USES = `import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import { openaiModel } from 'evalgate';

declare const messages: ChatCompletionMessageParam[];
declare const tools: ChatCompletionTool[];
declare const params: Omit<ChatCompletionCreateParamsNonStreaming, 'model' | 'messages' | 'stream'>;
export const a = openaiModel({ model: 'm', tools, prompt: () => messages });
export const b = openaiModel({ ...params, model: 'm' });
`;

/** tsc's output on a consumer of the packed package with `openai` resolved to `openaiDir` (none when undefined). */
function typecheck(name: string, openaiDir: string | undefined): { status: number | null; out: string } {
  const project = join(work, name);
  const modules = join(project, 'node_modules');
  mkdirSync(join(modules, 'evalgate'), { recursive: true });
  const x = spawnSync('tar', ['xzf', tarball, '-C', join(modules, 'evalgate'), '--strip-components=1']);
  if (x.status !== 0) throw new Error(`tar failed: ${x.error?.message ?? x.stderr}`);
  const link = (to: string, from: string) => {
    mkdirSync(dirname(join(modules, to)), { recursive: true });
    symlinkSync(from, join(modules, to), 'dir');
  };
  for (const dep of Object.keys(pkg.dependencies)) link(dep, join(ROOT, 'node_modules', dep));
  link('@types/node', join(ROOT, 'node_modules/@types/node'));
  if (openaiDir !== undefined) link('openai', openaiDir);
  const files = { 'uses.ts': USES, ...(openaiDir === undefined ? {} : { 'sdk.ts': SDK_USES }) };
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
  const compilerOptions = {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    noEmit: true,
  };
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, files: Object.keys(files) }),
  );
  const r = spawnSync(process.execPath, [TSC, '-p', join(project, 'tsconfig.json')], {
    cwd: project,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('a consumer of the packed package, skipLibCheck: false', () => {
  it('compiles without openai installed', () => {
    const r = typecheck('no-openai', undefined);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  }, 200_000);

  it.each([
    ['openai 7', 'openai'],
    ['openai 6', 'openai-v6'],
  ])(
    'compiles with %s installed, passing the SDK’s own types',
    (_name, dir) => {
      const openaiDir = join(ROOT, 'node_modules', dir);
      expect(existsSync(openaiDir), `${openaiDir} (a devDependency)`).toBe(true);
      const r = typecheck(dir, openaiDir);
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
    },
    200_000,
  );
});
