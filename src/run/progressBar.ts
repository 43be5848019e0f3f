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

/** Whether the default progress output should be shown. */
export function _wantsTtyProgress(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI;
}
