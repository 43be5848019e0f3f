/**
 * The matcher types of `evalgate/vitest` compile against every vitest major evalgate supports (3, 4 and 5) with
 * `skipLibCheck: false`: a consumer file calls each matcher (plain, `.not`, `.resolves`) and passes a wrong
 * argument under `@ts-expect-error`, and tsc must report nothing. vitest 5 declares `Assertion<R, T>` where 3 and
 * 4 declare `Assertion<T>`; an augmentation that repeats one of those lists is TS2428 on the other (shown here
 * on a one-line declaration), which is why evalgate's declares no type parameters.
 *
 * Which vitest installs are checked: the project's own (`node_modules/vitest`), any npm alias
 * `node_modules/vitest-v<N>`, and the directories listed in `EVALGATE_VITEST_DIRS` (separated by the path
 * delimiter, each a `…/node_modules/vitest`). With `EVALGATE_REQUIRE` naming `vitest-majors`, majors 3, 4 and 5
 * must all be among them, so CI cannot pass by checking one; otherwise the missing majors are named in one
 * printed line.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const tsc = join(root, 'node_modules/typescript/bin/tsc');

/** A vitest install: its directory, version and the `.d.ts` its root export's types point at. */
interface VitestInstall {
  readonly dir: string;
  readonly version: string;
  readonly major: number;
  readonly types: string;
}

function install(dir: string): VitestInstall {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
    exports: Record<string, { import?: { types?: string }; types?: string }>;
  };
  const root = pkg.exports['.']!;
  const types = root.import?.types ?? root.types;
  if (types === undefined) throw new Error(`${dir}: no types entry in its package.json exports`);
  return { dir, version: pkg.version, major: Number(pkg.version.split('.')[0]), types: join(dir, types) };
}

const installs: VitestInstall[] = [
  install(join(root, 'node_modules/vitest')),
  ...readdirSync(join(root, 'node_modules'))
    .filter((name) => /^vitest-v\d+$/.test(name))
    .map((name) => install(join(root, 'node_modules', name))),
  ...(process.env.EVALGATE_VITEST_DIRS ?? '')
    .split(delimiter)
    .filter((d) => d !== '')
    .map((d) => install(d)),
];
const majors = new Set(installs.map((i) => i.major));
const missing = [3, 4, 5].filter((m) => !majors.has(m));
const required = (process.env.EVALGATE_REQUIRE ?? '').split(',').includes('vitest-majors');
if (missing.length > 0 && !required)
  console.log(
    `typecheck: vitest ${missing.join(', ')} not installed, not checked; to check them: EVALGATE_VITEST_DIRS=<dir of each …/node_modules/vitest>; to require them: EVALGATE_REQUIRE=vitest-majors`,
  );

const work = mkdtempSync(join(tmpdir(), 'evalgate-typecheck-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const CONSUMER = `import 'evalgate/vitest';
import { expect, test } from 'vitest';

declare const result: unknown;
declare const cmp: unknown;
test('types', async () => {
  expect(result).toHaveLowerBoundAtLeast('exact_match', 0.7);
  expect(result).not.toHaveLowerBoundAtLeast('exact_match', 0.99, { calibrated: false });
  expect(cmp).toBeNonInferior({ margin: 0.02, metric: 'exact_match' });
  expect(cmp).toBeSignificantlyBetter();
  expect(cmp).toHaveNoSegmentRegression({ margin: 0.02 });
  await expect(Promise.resolve(result)).resolves.toHaveLowerBoundAtLeast('exact_match', 0.7);
  // @ts-expect-error: the threshold is a number
  expect(result).toHaveLowerBoundAtLeast('exact_match', '0.7');
});
`;

/** Runs tsc on `files` with `vitest` resolved to `v`; returns its exit code and output. */
function typecheck(v: VitestInstall, name: string, files: Record<string, string>) {
  const base = mkdtempSync(join(work, `${name}-${v.version}-`));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(base, file), text);
  const config = {
    compilerOptions: {
      target: 'ES2022',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      lib: ['ES2023', 'DOM'],
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
      strict: true,
      exactOptionalPropertyTypes: true,
      skipLibCheck: false,
      noEmit: true,
      esModuleInterop: true,
      resolveJsonModule: true,
      baseUrl: '.',
      paths: {
        'evalgate/vitest': [join(root, 'src/vitest/index.ts')],
        vitest: [v.types],
      },
    },
    files: [...Object.keys(files), join(root, 'src/stats/_internal/jstat.d.ts')],
  };
  writeFileSync(join(base, 'tsconfig.json'), JSON.stringify(config, null, 2));
  const r = spawnSync(process.execPath, [tsc, '-p', join(base, 'tsconfig.json')], {
    cwd: base,
    encoding: 'utf8',
    timeout: 180_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('matcher types', () => {
  it('cover vitest 3, 4 and 5 when required (EVALGATE_REQUIRE=vitest-majors)', () => {
    expect(installs[0]!.major, 'the project’s own vitest').toBeGreaterThanOrEqual(3);
    if (required) expect(missing, 'vitest majors without an install to check').toEqual([]);
  });

  describe.each(installs.map((v) => [`vitest ${v.version}`, v] as const))('%s', (_name, v) => {
    it('a consumer using every matcher compiles with skipLibCheck: false', () => {
      const r = typecheck(v, 'consumer', { 'use.ts': CONSUMER });
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
    }, 200_000);
  });

  // The rule behind the declaration, on each vitest 5 install checked.
  for (const v of installs.filter((i) => i.major >= 5))
    it(`vitest ${v.version}: an augmentation repeating vitest 3/4’s Assertion<T = any> is TS2428`, () => {
      const decl = `import 'vitest';\ndeclare module 'vitest' {\n  interface Assertion<T = any> { probe(): T }\n}\nexport {};\n`;
      expect(typecheck(v, 'old', { 'decl.ts': decl }).out).toContain('TS2428');
    }, 200_000);

  it('the augmentation in src/vitest/index.ts declares no type parameters', () => {
    const src = readFileSync(join(root, 'src/vitest/index.ts'), 'utf8');
    expect(src).toMatch(
      /declare module 'vitest' \{\n(?:.*\n)*?\s+interface Assertion extends EvalgateMatchers \{\}/,
    );
    expect(existsSync(tsc)).toBe(true);
  });
});
