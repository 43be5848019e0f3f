// Vitest global setup: every test run gets a temporary folder of its own (TMPDIR, TMP and TEMP point into it, so
// `os.tmpdir()` in the tests, in the workers and in the processes they start lands there), removed when the run
// ends. Test files make their folders with `mkdtemp(join(tmpdir(), …))` and many leave them (a failed test always
// does): without this a developer's /tmp filled with evalgate-* folders, 170 in one session.
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const NAMES = ['TMPDIR', 'TMP', 'TEMP'] as const;

/** Makes every folder under `dir` writable again (fault tests leave read-only ones), so it can be removed. */
function writable(dir: string): void {
  try {
    chmodSync(dir, 0o700);
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) writable(path);
    }
  } catch {
    // Best effort: rmSync below says what it could not remove.
  }
}

export default function setup(): () => void {
  const dir = mkdtempSync(join(tmpdir(), 'evalgate-tests-'));
  // As /tmp itself: any user may make a folder here, none may remove another's (suites run children as `nobody`).
  chmodSync(dir, 0o1777);
  const before = NAMES.map((name) => [name, process.env[name]] as const);
  for (const name of NAMES) process.env[name] = dir;
  return () => {
    for (const [name, value] of before) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    writable(dir);
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      console.log(
        `evalgate tests: could not remove the run's temporary folder ${dir}: ${(err as Error).message}`,
      );
    }
  };
}
