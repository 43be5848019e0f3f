/**
 * Every code block of README.md is checked, and says how: an annotation `<!-- readme-check: KIND [args] -->` on
 * the line before it. A block without one fails this suite, so none is silently unchecked.
 *
 * - `run`: a TypeScript block executed as a user would run it (tsx, Node.js), its `evalgate` imports pointed at
 *   src/, against a mock server started here (OPENAI_BASE_URL / ANTHROPIC_BASE_URL), with the names the
 *   snippets use without defining them from test/readme/_prelude.ts; a `// => value` comment after a
 *   `console.log(x)` is compared with what it printed.
 * - `run-cluster`: a cluster coordinator written as a vitest test file, whose first line names its file
 *   (`// evals/qa.eval.test.ts`) and whose `cluster.task` names an earlier `run` block by its first line
 *   (`// evals/task.ts`). Both are written into a project directory, the README's Redis address is replaced
 *   by a redis-server started here on a free 127.0.0.1 port, one worker is started with the README's
 *   `evalgate worker …` shell line (the CLI from src/ through tsx), and the coordinator runs under vitest with
 *   the matchers registered by `setupFiles` as the README's vitest config does, against the mock server. It
 *   must pass, and the worker must have answered every row. Without redis-server it is skipped with one line
 *   (test/_system.ts); `EVALGATE_REQUIRE=redis` makes that a failure.
 * - `shell`: every command is one this project has: `npm run <script>` names a script, `npx evalgate <command>`
 *   a CLI command, `npx tsx <file>` and `jupyter … <file>` an existing file.
 * - `workflow`: a GitHub Actions workflow: parsed as YAML (the npm `yaml` parser), its `run:` steps checked as `shell`, its
 *   cache path the README's cache file, and the report it uploads written by a step.
 * - `gitignore`: each pattern covers the files evalgate writes by the README's defaults.
 * - `output from=<file>`: printed output; each table row of the block appears verbatim in `<file>` (the snapshot
 *   or test it comes from), and its `$` command line is checked as `shell`.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { saveResult } from '../../src/result/saveResult.js';
import { type MockServer, startMockServer } from '../../src/testing/index.js';
import { redisServer } from '../_system.js';
import { startRedis } from '../cluster/_cluster.js';
import { runOf } from '../segments/_segmentRuns.js';
import { readmeRespond, SUM_QUESTION } from './_mockAnswers.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  exports: Record<string, unknown>;
};

interface Block {
  readonly line: number;
  readonly lang: string;
  readonly kind: string | undefined;
  readonly args: string;
  readonly code: string;
}

/** The fenced blocks of a Markdown text, with the annotation on the line before each. */
function blocks(text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^```(\S*)\s*$/.exec(lines[i]!);
    if (open === null) continue;
    const end = lines.findIndex((l, j) => j > i && l.startsWith('```'));
    const note = /^<!-- readme-check: (\S+)\s*(.*?)\s*-->$/.exec(lines[i - 1] ?? '');
    out.push({
      line: i + 1,
      lang: open[1]!,
      kind: note?.[1],
      args: note?.[2] ?? '',
      code: lines.slice(i + 1, end).join('\n'),
    });
    i = end;
  }
  return out;
}

const all = blocks(readme);
const KINDS = ['run', 'run-cluster', 'shell', 'workflow', 'gitignore', 'output'];

/** evalgate's subpath imports, pointed at the sources (the package's own name needs a build to resolve). */
function toSource(code: string): string {
  return code.replace(/from '(evalgate(?:\/[\w/-]+)?)'/g, (_m, spec: string) => {
    const sub = spec === 'evalgate' ? '.' : `./${spec.slice('evalgate/'.length)}`;
    const target = pkg.exports[sub] as { import: string } | undefined;
    if (target === undefined) throw new Error(`README imports ${spec}, which package.json does not export`);
    const src = target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts');
    return `from '${join(root, src)}'`;
  });
}

const CLI_COMMANDS = ['compare', 'report', 'mock-server', 'worker', '--help', '--version'];

/** Problems with the commands of a shell text (empty when every command is one this project has). */
function shellProblems(text: string): string[] {
  const problems: string[] = [];
  // A command continued with `\` is one line; leading `NAME=value` assignments are the command's environment.
  for (const raw of text.replace(/\\\n\s*/g, ' ').split('\n')) {
    const line = raw
      .replace(/^\$ /, '')
      .replace(/\s+#.*$/, '')
      .trim()
      .replace(/^(?:[A-Z_]+=\S+\s+)+/, '');
    if (line === '' || line.startsWith('#')) continue;
    for (const command of line.split(/\s*(?:&&|;|\|\|)\s*/)) {
      const words = command.split(/\s+/);
      const [first, second, third] = words;
      if (first === 'npm' && second === 'run' && !(third! in pkg.scripts))
        problems.push(`\`${command}\`: no npm script "${third}"`);
      else if (
        first === 'npm' &&
        !['ci', 'install', 'run', 'test', 'pack', 'install-scripts', 'rebuild'].includes(second!)
      )
        problems.push(`\`${command}\`: unexpected npm command`);
      else if ((first === 'npx' && second === 'evalgate') || first === 'evalgate') {
        const sub = first === 'evalgate' ? second : third;
        if (!CLI_COMMANDS.includes(sub!)) problems.push(`\`${command}\`: evalgate has no command "${sub}"`);
      } else if (first === 'npx' && second === 'tsx' && !existsSync(join(root, third!)))
        problems.push(`\`${command}\`: no file ${third}`);
      else if (first === 'jupyter' && !existsSync(join(root, words.at(-1)!)))
        problems.push(`\`${command}\`: no file ${words.at(-1)}`);
      else if (
        ![
          'npm',
          'npx',
          'cd',
          'redis-server',
          'jupyter',
          'evalgate',
          'cat',
          'git',
          'EVALGATE_REQUIRE=chromium',
        ].includes(first!)
      )
        problems.push(`\`${command}\`: unknown command ${first}`);
    }
  }
  return problems;
}

/**
 * What the block's `$ npx evalgate …` command prints on the README's example: the segment test fixture (600
 * examples in 4 categories, one of which lost 20 points; test/segments/_segmentRuns.ts) saved as baseline.json
 * and candidate.json with the default resamples.
 */
async function cliOutput(code: string): Promise<string> {
  const command = code.split('\n').find((l) => l.startsWith('$ npx evalgate '));
  expect(command, 'a `$ npx evalgate …` line').toBeDefined();
  const [baseline, candidate] = await Promise.all([runOf('baseline', 9999), runOf('candidate', 9999)]);
  await saveResult(baseline, join(dir, 'baseline.json'));
  await saveResult(candidate, join(dir, 'candidate.json'));
  const args = command!.slice('$ npx evalgate '.length).split(/\s+/);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src/cli.ts'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return r.stdout + r.stderr;
}

let server: MockServer;
let dir: string;
beforeAll(async () => {
  // Judges get verdicts, the weather agent is scripted, anything else gets the mock's default answer.
  server = await startMockServer({ respond: readmeRespond });
  // Inside node_modules: the blocks import `openai`, `ai`, … as a user's file would, from the repository's own.
  dir = mkdtempSync(join(root, 'node_modules', '.readme-blocks-'));
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The environment of a block's process: the mock server as every provider's endpoint, plain output. */
function blockEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: 'test',
    ANTHROPIC_BASE_URL: server.origin,
    ANTHROPIC_API_KEY: 'test',
    CI: '',
    GITHUB_STEP_SUMMARY: '',
    // Plain text, so `// => value` is compared with what was printed, not with its ANSI colours.
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
}

/** Runs `node args` in `cwd`, killed after `ms`; resolves with its exit code and output. */
function runNode(
  args: readonly string[],
  cwd: string,
  ms: number,
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, env: blockEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), ms);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const VITEST = join(root, 'node_modules/vitest/vitest.mjs');

/** Runs one block with tsx; resolves with its exit code and output. */
function runBlock(file: string, asTest: boolean): Promise<{ code: number | null; out: string }> {
  const config = join(dir, 'vitest.config.mts');
  if (asTest)
    writeFileSync(
      config,
      `export default { test: { include: ['${file}'], exclude: [], testTimeout: 60_000 } };\n`,
    );
  const args = asTest ? [VITEST, 'run', '--config', config, '--root', dir] : ['--import', 'tsx', file];
  return runNode(args, dir, 90_000);
}

/** The file a block says it is on its first line (`// evals/task.ts — …`), or undefined. */
function fileOf(b: Block): string | undefined {
  return /^\/\/ (\S+\.ts)\b/.exec(b.code)?.[1];
}

/** The README's Redis address in the cluster example; the `run-cluster` check replaces it by a local one. */
const README_REDIS = 'redis://10.0.0.5:6379';

/** A started `evalgate worker`, its output so far, and a bounded stop (SIGTERM, SIGKILL after 10 s). */
interface Worker {
  readonly output: () => string;
  stop(): Promise<void>;
}

/** Starts the README's worker command line (`evalgate worker …`) from src/ through tsx in `cwd`; resolves when ready. */
function startWorker(commandLine: string, cwd: string): Promise<Worker> {
  const words = commandLine.split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['evalgate', 'worker']);
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'src/cli.ts'), ...words.slice(1)],
    { cwd, env: blockEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  const worker = { output: () => out, stop };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`the worker was not ready after 60 s: ${out}`));
    }, 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/evalgate worker ready/.test(out)) {
        clearTimeout(timer);
        resolve(worker);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the worker exited with ${code} before it was ready: ${out}`));
    });
  });
}

describe('README.md code blocks', () => {
  it('every block carries a known readme-check annotation', () => {
    expect(all.length).toBeGreaterThan(20);
    const missing = all
      .filter((b) => b.kind === undefined || !KINDS.includes(b.kind))
      .map((b) => `line ${b.line}`);
    expect(missing, 'blocks without <!-- readme-check: … -->').toEqual([]);
  });

  it('there is a run-cluster block (the cluster coordinator)', () => {
    expect(all.filter((b) => b.kind === 'run-cluster').length).toBeGreaterThan(0);
  });

  it('every ```ts block is run, and only those', () => {
    for (const b of all)
      expect(b.lang === 'ts', `line ${b.line}: ${b.kind} on \`\`\`${b.lang}`).toBe(
        b.kind === 'run' || b.kind === 'run-cluster',
      );
  });

  it.each(all.filter((b) => b.kind === 'run').map((b) => [b.line, b] as const))(
    'run: the block at line %i runs against the mock server',
    async (_line, b) => {
      // A block written as a vitest test runs under vitest (the matchers record into the test), else under tsx.
      // A snippet calling `expect(…)` outside a `test(…)` runs as the body of one.
      const hasTest = /^test\(/m.test(b.code);
      const asTest = hasTest || /\bexpect\(/.test(b.code);
      const lines = toSource(b.code).split('\n');
      const imports = lines.filter((l) => l.startsWith('import ')).join('\n');
      const rest = lines.filter((l) => !l.startsWith('import ')).join('\n');
      const body = asTest && !hasTest ? `test('README block', async () => {\n${rest}\n});` : rest;
      const file = join(dir, `block-${b.line}${asTest ? '.test' : ''}.mts`);
      writeFileSync(
        file,
        `import '${join(root, 'test/readme/_prelude.ts')}';\n${asTest ? "import { expect, test } from 'vitest';\n" : ''}${imports}\n${body}\n`,
      );
      const { code, out } = await runBlock(file, asTest);
      expect(code, out.slice(-3000)).toBe(0);
      // `console.log(x); // => value`: the printed line is the value shown.
      const shown = [...b.code.matchAll(/console\.log\(.*\);\s*\/\/ => (.+)$/gm)].map((m) => m[1]!.trim());
      for (const value of shown) expect(out, `line ${b.line} prints ${value}`).toContain(value);
    },
    120_000,
  );

  it.each(all.filter((b) => b.kind === 'shell').map((b) => [b.line, b] as const))(
    'shell: the commands at line %i exist',
    (_line, b) => {
      expect(shellProblems(b.code)).toEqual([]);
    },
  );

  it.each(all.filter((b) => b.kind === 'output').map((b) => [b.line, b] as const))(
    'output: the rows at line %i are the ones its source prints',
    async (_line, b) => {
      const from = /^from=(\S+)$/.exec(b.args)?.[1];
      expect(from, 'output needs from=<file> or from=cli').toBeDefined();
      const source = from === 'cli' ? await cliOutput(b.code) : readFileSync(join(root, from!), 'utf8');
      const rows = b.code.split('\n').filter((l) => /^\|.*\|$/.test(l) || /^\w+\s+\w+\s+[\d.]+\s/.test(l));
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(source, `${from} holds: ${row}`).toContain(row);
      expect(
        shellProblems(
          b.code
            .split('\n')
            .filter((l) => l.startsWith('$ '))
            .join('\n'),
        ),
      ).toEqual([]);
    },
    120_000,
  );

  it('workflow: the GitHub Actions example parses, caches the cache file and uploads what it wrote', () => {
    const [b, ...more] = all.filter((x) => x.kind === 'workflow');
    expect(more).toEqual([]);
    // The npm `yaml` parser (YAML 1.2 core schema, as GitHub Actions reads workflows), not python3's: `npm test`
    // needs nothing beyond Node.js and npm.
    const wf = parseYaml(b!.code) as {
      jobs: Record<string, { steps: { uses?: string; run?: string; with?: Record<string, string> }[] }>;
    };
    const steps = Object.values(wf.jobs).flatMap((j) => j.steps);
    const cache = steps.find((s) => s.uses?.startsWith('actions/cache@'));
    expect(cache?.with?.path).toBe('.evalgate/cache.sqlite');
    expect(readme).toContain("sqliteCache('.evalgate/cache.sqlite')");
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    const report = steps.find((s) => s.run?.includes('evalgate report'));
    expect(report?.run).toMatch(new RegExp(`-o ${upload?.with?.path}`));
    expect(shellProblems(steps.flatMap((s) => (s.run === undefined ? [] : [s.run])).join('\n'))).toEqual([]);
  });

  it('gitignore: the patterns cover the cache file and the run outputs the README writes', () => {
    const [b] = all.filter((x) => x.kind === 'gitignore');
    const patterns = b!.code.split('\n').filter((l) => l.trim() !== '');
    const covered = (path: string) => patterns.some((p) => path.startsWith(p.replace(/\/$/, '/')));
    for (const path of ['.evalgate/cache.sqlite', 'results/evalgate-summary.json', 'results/report.html'])
      expect(covered(path), path).toBe(true);
    expect(covered('baselines/qa.json'), 'baselines are committed').toBe(false);
  });
});

const redisReq = redisServer(
  "the README's cluster coordinator block runs against a local redis-server and an `evalgate worker`",
);
describe.skipIf(redisReq.skip)('README.md cluster blocks', () => {
  it.each(all.filter((b) => b.kind === 'run-cluster').map((b) => [b.line, b] as const))(
    'run-cluster: the coordinator at line %i passes under vitest with one worker on a local redis-server',
    async (_line, b) => {
      const testFile = fileOf(b);
      const taskFile = /task: '([^']+)'/.exec(b.code)?.[1];
      expect(testFile, 'the block names its file on its first line').toMatch(/\.test\.ts$/);
      expect(taskFile, 'the block passes `cluster.task`').toBeDefined();
      const task = all.find((x) => fileOf(x) === taskFile);
      expect(task?.kind, `the README has a run block for ${taskFile}`).toBe('run');
      expect(b.code, "the README's Redis address").toContain(README_REDIS);
      const workerLine = all
        .filter((x) => x.kind === 'shell')
        .flatMap((x) => x.code.split('\n'))
        .map((l) => l.replace(/\s+#.*$/, '').trim())
        .find((l) => l.startsWith(`evalgate worker ${taskFile} `));
      expect(workerLine, `a shell line \`evalgate worker ${taskFile} …\``).toContain(
        `--redis ${README_REDIS}`,
      );

      const redis = await startRedis(redisReq.executable());
      const project = mkdtempSync(join(dir, 'cluster-'));
      let worker: Worker | undefined;
      try {
        const local = (code: string) => toSource(code).replaceAll(README_REDIS, redis.url);
        writeFileSync(join(project, 'package.json'), '{ "type": "module" }\n');
        for (const [file, code] of [
          [taskFile!, task!.code],
          [testFile!, b.code],
        ] as const) {
          mkdirSync(join(project, dirname(file)), { recursive: true });
          writeFileSync(join(project, file), `${local(code)}\n`);
        }
        // The README's vitest config: the matchers registered by `setupFiles: ['evalgate/vitest']`.
        writeFileSync(
          join(project, 'vitest.config.mts'),
          `export default { test: { include: ['${testFile}'], setupFiles: ['${join(root, 'src/vitest/index.ts')}'] } };\n`,
        );
        worker = await startWorker(workerLine!.replaceAll(README_REDIS, redis.url), project);
        const before = server.requests.length;
        const { code, out } = await runNode(
          [VITEST, 'run', '--config', join(project, 'vitest.config.mts'), '--root', project],
          project,
          150_000,
        );
        expect(code, out.slice(-3000)).toBe(0);
        expect(out).toMatch(/Tests\s+1 passed \(1\)/);
        // The worker answered every row (the coordinator itself calls no model): each question reached the mock.
        const asked = new Set(
          server.requests
            .slice(before)
            .flatMap((r) => (r.body as { messages?: { content?: unknown }[] } | undefined)?.messages ?? [])
            .map((m) => String(m.content))
            .filter((q) => SUM_QUESTION.test(q)),
        );
        expect(asked.size).toBeGreaterThan(0);
        const w = worker;
        worker = undefined;
        await w.stop();
        expect(w.output()).toMatch(new RegExp(`after ${asked.size} rows`));
      } finally {
        await worker?.stop();
        await redis.stop();
        rmSync(project, { recursive: true, force: true });
      }
    },
    240_000,
  );
});
