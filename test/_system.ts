/**
 * System components that some test suites need and npm cannot install (Chromium, Redis, Jupyter): one lookup
 * per component and one rule for what a suite does when the component is missing.
 *
 * - present: the suite runs;
 * - missing, and the component not named in `EVALGATE_REQUIRE`: the suite is skipped, and ONE line is printed
 *   saying what is missing, why the suite needs it, which Debian package brings it and which flag requires it;
 * - missing and required (`EVALGATE_REQUIRE=chromium,redis,jupyter`, as `.ci/run` sets it): the suite fails
 *   with that same message, so CI can never pass by skipping.
 *
 * A suite uses it as
 * ```ts
 * const chrome = chromium('the HTML report suite loads the report in headless Chromium');
 * describe.skipIf(chrome.skip)('HTML report in Chromium', () => {
 *   beforeAll(async () => { browser = await launch({ executablePath: chrome.executable() }); });
 * });
 * ```
 * `executable()` is the only way to the path, so a required-but-missing component always fails the suite.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';

/** The components a suite can ask for; the names `EVALGATE_REQUIRE` lists. */
export type SystemComponentName = 'chromium' | 'redis' | 'jupyter';

const COMPONENTS: readonly SystemComponentName[] = ['chromium', 'redis', 'jupyter'];

/**
 * Names `EVALGATE_REQUIRE` may carry besides the components, each required by the suite that reads it:
 * `vitest-majors` (test/vitest/typecheck.test.ts checks vitest 3, 4 and 5; README, "Development"), `pty` (util-linux
 * `script`, see {@link utilLinuxScript}). Not a program
 * looked up here, and not a typo: `EVALGATE_REQUIRE=vitest-majors` made every suite that asks for a component
 * fail at collection with "unknown `vitest-majors`".
 */
const OTHER_REQUIREMENTS = ['vitest-majors', 'pty'] as const;

/** Environment variable listing the components that must be present (comma-separated); unset in dev. */
export const REQUIRE_ENV = 'EVALGATE_REQUIRE';

/** What one suite does about one component, decided once when the suite file is collected. */
export interface SystemRequirement {
  readonly component: SystemComponentName;
  /** True when the component is missing and not required: pass to `describe.skipIf`. */
  readonly skip: boolean;
  /** True when `EVALGATE_REQUIRE` names the component. */
  readonly required: boolean;
  /** The one-line explanation when the component is missing; `undefined` when it is present. */
  readonly message: string | undefined;
  /**
   * Absolute path of the component's executable.
   * @throws Error with {@link SystemRequirement.message} when the component is missing (the suite fails).
   */
  executable(): string;
}

/** Environment the lookups read; tests of this helper pass their own. */
export type SystemEnv = Readonly<Record<string, string | undefined>>;

/** Options shared by every component lookup. */
export interface SystemOptions {
  /** Environment to read `EVALGATE_REQUIRE`, `PATH` and the component's override from. @default process.env */
  readonly env?: SystemEnv;
  /** Where the skip line goes. @default console.log */
  readonly log?: (line: string) => void;
}

/** Result of one lookup: the executable, or why there is none. */
type Located = { readonly path: string } | { readonly problem: string };

interface ComponentSpec {
  readonly name: SystemComponentName;
  /** Name for people: "Chromium". */
  readonly title: string;
  /** Debian packages that bring it. */
  readonly apt: readonly string[];
  /** Extra way to point at it, said in the message (e.g. `CHROME_PATH`). */
  readonly override?: string;
  locate(env: SystemEnv): Located;
}

/** Components named in `EVALGATE_REQUIRE`. An unknown name throws: a typo must not turn CI's checks into skips. */
export function requiredComponents(env: SystemEnv = process.env): ReadonlySet<SystemComponentName> {
  const raw = env[REQUIRE_ENV] ?? '';
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  for (const n of names)
    if (
      !(COMPONENTS as readonly string[]).includes(n) &&
      !(OTHER_REQUIREMENTS as readonly string[]).includes(n)
    )
      throw new TypeError(
        `Expected \`${REQUIRE_ENV}\` to be a comma-separated list of ${COMPONENTS.join(', ')}, got \`${raw}\` (unknown \`${n}\`)`,
      );
  return new Set(
    names.filter((n): n is SystemComponentName => (COMPONENTS as readonly string[]).includes(n)),
  );
}

function decide(spec: ComponentSpec, why: string, options: SystemOptions): SystemRequirement {
  const env = options.env ?? process.env;
  const required = requiredComponents(env).has(spec.name);
  const found = spec.locate(env);
  if ('path' in found) {
    const { path } = found;
    return Object.freeze({
      component: spec.name,
      skip: false,
      required,
      message: undefined,
      executable: () => path,
    });
  }
  const install = `apt-get install -y ${spec.apt.join(' ')}${spec.override ? ` (or set ${spec.override})` : ''}`;
  const what = `${spec.title} ${found.problem}`;
  const message = required
    ? `${REQUIRE_ENV} requires ${spec.name}: ${what}; ${why}; install it: ${install}`
    : `skipped: ${what}; ${why}; to run it: ${install}; to require it: ${REQUIRE_ENV}=${spec.name}`;
  if (!required) (options.log ?? console.log)(message);
  return Object.freeze({
    component: spec.name,
    skip: !required,
    required,
    message,
    executable: () => {
      throw new Error(message);
    },
  });
}

/** Absolute path of `command` on `PATH`, or `undefined`. An absolute `command` is returned when it exists. */
function onPath(command: string, env: SystemEnv): string | undefined {
  if (isAbsolute(command)) return existsSync(command) ? command : undefined;
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {}
  }
  return undefined;
}

/**
 * Runs `path args` (bounded at 20 s) and returns `undefined` when it exits 0 with output matching `expect`,
 * else why not. Running it, not only finding it, catches stubs such as Ubuntu's `chromium-browser` that only
 * says to install a snap, and a `CHROME_PATH` pointing at something that is not a browser.
 */
function probe(path: string, args: readonly string[], expect: RegExp, env: SystemEnv): string | undefined {
  const r = spawnSync(path, args, { encoding: 'utf8', timeout: 20_000, env: { ...env } });
  const shown = `\`${[path, ...args].join(' ')}\``;
  if (r.error) return `${shown} does not run (${(r.error as NodeJS.ErrnoException).code ?? r.error.message})`;
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0)
    return `${shown} exits with ${r.status ?? r.signal}: ${JSON.stringify(out.slice(0, 200))}`;
  if (!expect.test(out)) return `${shown} printed ${JSON.stringify(out.slice(0, 200))}, not ${expect}`;
  return undefined;
}

/** First of `commands` (names on PATH or absolute paths) that runs `args` printing `expect`. */
function firstWorking(
  commands: readonly string[],
  args: readonly string[],
  expect: RegExp,
  env: SystemEnv,
): Located {
  const tried = new Set<string>();
  const failures: string[] = [];
  for (const command of commands) {
    const path = onPath(command, env);
    if (path === undefined || tried.has(path)) continue;
    tried.add(path);
    const problem = probe(path, args, expect, env);
    if (problem === undefined) return { path };
    failures.push(problem);
  }
  if (failures.length > 0) return { problem: `was found but does not work: ${failures.join('; ')}` };
  const names = commands.filter((c) => !isAbsolute(c));
  const paths = commands.length - names.length;
  return {
    problem: `is not installed (no ${names.join(', ')} on PATH${paths > 0 ? ` nor in ${paths} usual install locations` : ''})`,
  };
}

const CHROMIUM: ComponentSpec = {
  name: 'chromium',
  title: 'Chromium',
  apt: ['chromium'],
  override: 'CHROME_PATH',
  locate(env) {
    const version = /chrom/i;
    const given = env.CHROME_PATH;
    // A CHROME_PATH that is set is the one to use: a wrong one is "missing", never silently replaced.
    if (given) {
      if (!existsSync(given)) return { problem: `is not at CHROME_PATH=${given} (no such file)` };
      const problem = probe(given, ['--version'], version, env);
      return problem === undefined
        ? { path: given }
        : { problem: `at CHROME_PATH=${given} does not work: ${problem}` };
    }
    return firstWorking(
      [
        'chromium',
        'chromium-browser',
        'google-chrome-stable',
        'google-chrome',
        '/usr/bin/chromium',
        '/usr/bin/chromium-browser',
        '/usr/lib/chromium/chromium',
        '/snap/bin/chromium',
        '/opt/google/chrome/chrome',
        '/Applications/Chromium.app/Contents/MacOS/Chromium',
        '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      ],
      ['--version'],
      version,
      env,
    );
  },
};

const REDIS: ComponentSpec = {
  name: 'redis',
  title: 'Redis',
  apt: ['redis-server'],
  locate: (env) => firstWorking(['redis-server'], ['--version'], /Redis server v=/, env),
};

/**
 * Chromium for suites that drive a real browser (playwright-core's `executablePath`). Looked up from
 * `CHROME_PATH` when set (a path that does not exist or does not run `--version` is missing), else
 * `chromium`, `chromium-browser`, `google-chrome(-stable)` on PATH, then the usual install locations.
 * @param why - what the suite does with it, for the skip/fail line: "the HTML report suite loads the report
 *   in headless Chromium".
 * @example
 * const chrome = chromium('the HTML report suite loads the report in headless Chromium');
 * describe.skipIf(chrome.skip)('HTML report', () => { ... chrome.executable() ... });
 */
export function chromium(why: string, options: SystemOptions = {}): SystemRequirement {
  return decide(CHROMIUM, why, options);
}

/**
 * `redis-server` for suites that start their own Redis on 127.0.0.1 (Debian package `redis-server`).
 * @param why - what the suite does with it, for the skip/fail line.
 * @example
 * const redis = redisServer('the cluster suite runs workers on a local Redis');
 * describe.skipIf(redis.skip)('cluster', () => { ... spawn(redis.executable(), ['--port', '0']) ... });
 */
export function redisServer(why: string, options: SystemOptions = {}): SystemRequirement {
  return decide(REDIS, why, options);
}

/** Options of {@link jupyter}. */
export interface JupyterOptions extends SystemOptions {
  /** Kernel that must be installed (`jupyter-kernelspec list`). @default any kernel */
  readonly kernel?: string;
}

/**
 * `jupyter-nbconvert` with at least one Jupyter kernel (or the named one) for suites that execute notebooks
 * (Debian packages `jupyter-nbconvert`, `jupyter-client` for `jupyter-kernelspec`, `python3-ipykernel`).
 * `executable()` returns the path of `jupyter-nbconvert`.
 * @param why - what the suite does with it, for the skip/fail line.
 * @example
 * const nb = jupyter('the notebook suite executes examples/*.ipynb', { kernel: 'python3' });
 * describe.skipIf(nb.skip)('notebooks', () => { ... execFile(nb.executable(), ['--execute', ...]) ... });
 */
export function jupyter(why: string, options: JupyterOptions = {}): SystemRequirement {
  const { kernel } = options;
  const spec: ComponentSpec = {
    name: 'jupyter',
    title: kernel ? `Jupyter (nbconvert and the ${kernel} kernel)` : 'Jupyter (nbconvert and a kernel)',
    apt: ['jupyter-nbconvert', 'jupyter-client', 'python3-ipykernel'],
    locate(env) {
      const nbconvert = firstWorking(['jupyter-nbconvert'], ['--version'], /^\d+\.\d+/, env);
      if (!('path' in nbconvert)) return nbconvert;
      // jupyter-client's tool; one run lists the installed kernels as JSON.
      const kernelspec = onPath('jupyter-kernelspec', env);
      if (kernelspec === undefined) return { problem: 'has no jupyter-kernelspec on PATH to list kernels' };
      const listed = spawnSync(kernelspec, ['list', '--json'], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { ...env },
      });
      let names: string[];
      try {
        names = Object.keys((JSON.parse(listed.stdout) as { kernelspecs: object }).kernelspecs);
      } catch {
        return { problem: `has a \`${kernelspec} list --json\` that prints no kernel list` };
      }
      if (kernel ? !names.includes(kernel) : names.length === 0)
        return {
          problem: `has no ${kernel ? `${kernel} kernel` : 'kernel'} (jupyter-kernelspec lists ${names.join(', ') || 'none'})`,
        };
      return nbconvert;
    },
  };
  return decide(spec, why, options);
}

/**
 * util-linux `script`, which gives a child process a pseudo-terminal (the TTY progress suite). Not one of the
 * components above: Debian always has it (bsdutils), macOS has a BSD `script` that takes other flags. Missing and not
 * required (`EVALGATE_REQUIRE` naming `pty`, as `.ci/run` sets it): `undefined` and one printed line; missing and
 * required: throws that line.
 */
export function utilLinuxScript(why: string, options: SystemOptions = {}): string | undefined {
  const env = options.env ?? process.env;
  const required = (env[REQUIRE_ENV] ?? '')
    .split(',')
    .map((s) => s.trim())
    .includes('pty');
  const found = firstWorking(['script'], ['--version'], /util-linux/, env);
  if ('path' in found) return found.path;
  const what = `util-linux \`script\` ${found.problem}`;
  if (required)
    throw new Error(`${REQUIRE_ENV} requires pty: ${what}; ${why}; install it: apt-get install -y bsdutils`);
  (options.log ?? console.log)(
    `skipped: ${what}; ${why}; to run it: apt-get install -y bsdutils (Debian), util-linux elsewhere; to require it: ${REQUIRE_ENV}=pty`,
  );
  return undefined;
}
