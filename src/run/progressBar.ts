/** Progress of a run, as passed to a `progress` callback. */
export interface Progress {
  /** Rows finished (scored or failed). */
  readonly done: number;
  /** Rows that failed. */
  readonly failed: number;
  /** Rows known so far (grows while a streaming dataset is read). */
  readonly queued: number;
  /** True once the whole dataset has been read, so `queued` is the total. */
  readonly complete: boolean;
  /** USD spent so far by priced calls (absent in updates from code that does not track it). */
  readonly costUsd?: number;
}

/**
 * How often the plain-line progress (stderr that is not a TTY: CI logs, vitest) reports. A line is written
 * every `intervalMs`, and also whenever another `everyPercent` of the rows is done (at most one line a second).
 */
export interface ProgressLineOptions {
  /** Time between lines, in ms. Minimum: `100`. @default 5000 */
  readonly intervalMs?: number;
  /** A line each time this share of the rows (in percent) is done, once the total is known. Range: (0, 100]. @default 10 */
  readonly everyPercent?: number;
}

/**
 * A one-line progress bar on a TTY (redrawn at most every 100 ms), silent elsewhere. Only used when
 * stderr is a TTY and the `CI` variable is unset.
 */
export function _ttyProgress(stream: NodeJS.WriteStream = process.stderr): {
  update(p: Progress): void;
  finish(p: Progress): void;
} {
  let last = 0;
  const draw = (p: Progress) => {
    const width = 30;
    const total = Math.max(p.queued, 1);
    const filled = p.complete ? Math.round((p.done / total) * width) : 0;
    const bar = p.complete ? `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` : '';
    const of = p.complete ? `/${p.queued}` : '';
    stream.write(`\r\x1b[2Kevalgate ${bar}${p.done}${of} done, ${p.failed} failed`);
  };
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      draw(p);
    },
    finish(p) {
      draw(p);
      stream.write('\n');
    },
  };
}

/** Whether the default progress output should be the redrawn bar (a TTY outside CI) rather than lines. */
export function _wantsTtyProgress(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}

/** `"evalgate: 123/1000 rows (12%), 3 failed, cost $0.01, 14 s"` (tenths of a second below 10 s). @internal */
export function _progressLine(p: Progress, elapsedMs: number, formatCost: (usd: number) => string): string {
  const rows = p.complete
    ? `${p.done}/${p.queued} rows (${p.queued === 0 ? 100 : Math.floor((p.done / p.queued) * 100)}%)`
    : `${p.done} rows done (dataset still being read, ${p.queued} so far)`;
  const cost = p.costUsd === undefined ? '' : `, cost ${formatCost(p.costUsd)}`;
  const seconds = elapsedMs < 10_000 ? (elapsedMs / 1000).toFixed(1) : String(Math.round(elapsedMs / 1000));
  return `evalgate: ${rows}, ${p.failed} failed${cost}, ${seconds} s`;
}

/**
 * Where plain progress lines go by default: stderr, or, inside a vitest worker (`VITEST` set), `console.error`,
 * which vitest shows in its output under the running test's name and drops under `vitest --silent` (a direct
 * stderr write would bypass both).
 * @internal
 */
export function _defaultLineStream(): { write(s: string): unknown } {
  if (process.env.VITEST === undefined || process.env.VITEST === '') return process.stderr;
  return { write: (s: string) => console.error(s.endsWith('\n') ? s.slice(0, -1) : s) };
}

/**
 * Plain progress lines for a stderr that is not a TTY (CI logs, vitest's output, a file): no carriage returns,
 * one complete line at a time. A line is written every `intervalMs` by a timer (so a run whose rows are slow is
 * not silent), and whenever another `everyPercent` of the rows is done, at most one a second; none in a run
 * that ends within its first interval, and a last line when the run ends if any was written.
 * @internal
 */
export function _lineProgress(
  snapshot: () => Progress,
  options: ProgressLineOptions & {
    readonly stream?: { write(s: string): unknown };
    readonly now?: () => number;
    readonly formatCost: (usd: number) => string;
  },
): { update(p: Progress): void; finish(p: Progress): void } {
  const stream = options.stream ?? _defaultLineStream();
  const now = options.now ?? Date.now;
  const intervalMs = options.intervalMs ?? 5000;
  const everyPercent = options.everyPercent ?? 10;
  const minGapMs = Math.min(1000, intervalMs);
  const t0 = now();
  let lastAt = t0;
  let lastStep = 0;
  let wrote = false;
  const write = (p: Progress) => {
    lastAt = now();
    wrote = true;
    if (p.complete && p.queued > 0) lastStep = Math.floor(((p.done / p.queued) * 100) / everyPercent);
    stream.write(`${_progressLine(p, lastAt - t0, options.formatCost)}\n`);
  };
  const timer = setInterval(() => {
    if (now() - lastAt >= intervalMs - 1) write(snapshot());
  }, intervalMs);
  timer.unref?.();
  return {
    update(p) {
      const t = now();
      if (t - lastAt >= intervalMs) return write(p);
      if (!p.complete || p.queued === 0 || t - lastAt < minGapMs || t - t0 < intervalMs) return;
      if (Math.floor(((p.done / p.queued) * 100) / everyPercent) > lastStep) write(p);
    },
    finish(p) {
      clearInterval(timer);
      if (wrote) write(p);
    },
  };
}
