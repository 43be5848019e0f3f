/**
 * Where finished records go: kept in memory (the default), streamed to a JSONL file (`output`), and handed to
 * `onResult`, one whole record at a time and in completion order. A failing file (a full disk, a vanished
 * folder) stops the run at once with an error naming the file; what was written before stays written.
 * @module
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { _jsonBytesProblem } from '../_internal/jsonBytesProblem.js';
import { _jsonWriteProblem } from '../_internal/jsonWriteProblem.js';
import { EvalgateError } from '../errors.js';
import type { ExampleRecord } from '../result/EvalResult.js';

/** Options of {@link _RecordSink.open}. */
export interface _SinkOptions {
  /** JSONL path that receives every record. @default records are kept in memory */
  readonly output?: string;
  readonly onResult?: (record: ExampleRecord) => void | Promise<void>;
  /** Called once with the error when the file or `onResult` fails (the run stops). */
  readonly onFailure: (err: unknown) => void;
}

function outputError(path: string, cause: unknown): EvalgateError {
  const why = (cause as { message?: unknown } | null)?.message ?? String(cause);
  return new EvalgateError('E_OUTPUT', `Writing records to "${path}" failed: ${String(why)}`, { cause });
}

/**
 * A record as one line of JSON; a record JSON cannot write (a BigInt, a cycle) is an error naming the field, and so
 * is a metric's details holding bytes, which JSON writes as another value (the example's own fields were checked
 * before its call). Bytes are named first, wherever the record holds what JSON cannot write.
 *
 * The bytes check is one walk of `details` before `JSON.stringify`, with no strings made unless it finds bytes: a
 * `JSON.stringify` replacer would find them in the one pass, but a replacer takes V8 off its fast path for the
 * whole record and cost more than the walk (11.2 vs 7.9 µs a record with 20 details, 5.6 µs unchecked, Node 20).
 * @throws {EvalgateError} `E_OUTPUT`, naming the example, its trial and the field.
 * @example
 * ```ts
 * _recordLine('out.jsonl', { id: 'q1', trial: 0, details: { m: { mask: new Uint8Array(3) } }, … });
 * // throws 'Writing records to "out.jsonl" failed: the record of example "q1" (trial 0) holds record.details.m.mask: a Uint8Array of 3 bytes, …'
 * ```
 * @internal
 */
export function _recordLine(path: string, record: ExampleRecord): string {
  const bytes =
    record.details === undefined ? undefined : _jsonBytesProblem(record.details, 'record.details');
  if (bytes !== undefined)
    throw new EvalgateError(
      'E_OUTPUT',
      `Writing records to "${path}" failed: the record of example "${record.id}" (trial ${record.trial}) holds ${bytes}, which would read back as another value (JSON writes bytes as an object of numbers, or {})`,
      { exampleId: record.id },
    );
  try {
    return JSON.stringify(record);
  } catch (err) {
    const problem = _jsonWriteProblem(record, 'record');
    if (problem === undefined) throw err;
    throw new EvalgateError(
      'E_OUTPUT',
      `Writing records to "${path}" failed: the record of example "${record.id}" (trial ${record.trial}) holds ${problem}`,
      { cause: err, exampleId: record.id },
    );
  }
}

/** The record sinks of one run. */
export class _RecordSink {
  private readonly kept: { row: number; record: ExampleRecord }[] = [];
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown;

  private constructor(
    private readonly options: _SinkOptions,
    private readonly file: WriteStream | undefined,
  ) {
    file?.on('error', (err) => this.fail(outputError(options.output!, err)));
  }

  /** Opens the file sink, if any; a path that cannot be opened rejects naming it. */
  static async open(options: _SinkOptions): Promise<_RecordSink> {
    if (options.output === undefined) return new _RecordSink(options, undefined);
    const file = createWriteStream(options.output, { encoding: 'utf8' });
    try {
      // Rejects on an `error` first, and removes both of its listeners either way.
      await once(file, 'open');
    } catch (err) {
      file.destroy();
      throw outputError(options.output, err);
    }
    return new _RecordSink(options, file);
  }

  /** True when records are kept in memory (no `output`). */
  get keepsRecords(): boolean {
    return this.file === undefined;
  }

  private fail(err: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = err;
    this.options.onFailure(err);
  }

  /**
   * Takes one finished record. Returns a promise only when the row must wait (a file or `onResult` to feed),
   * so a run without them pays no microtask per row.
   */
  emit(row: number, record: ExampleRecord): Promise<void> | undefined {
    if (this.file === undefined) this.kept.push({ row, record });
    if (this.file === undefined && this.options.onResult === undefined) return undefined;
    const file = this.file;
    const onResult = this.options.onResult;
    this.chain = this.chain.then(async () => {
      if (this.failure !== undefined) return;
      try {
        if (file !== undefined && !file.write(`${_recordLine(this.options.output!, record)}\n`))
          await this.drained(file);
        if (onResult) await onResult(record);
      } catch (err) {
        this.fail(err);
      }
    });
    return this.chain;
  }

  /** Waits for a full write buffer to drain, or for the stream to fail (a full disk never drains). */
  private drained(file: WriteStream): Promise<void> {
    if (this.failure !== undefined || file.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        file.off('drain', done);
        file.off('error', done);
        file.off('close', done);
        resolve();
      };
      file.on('drain', done);
      file.on('error', done);
      file.on('close', done);
    });
  }

  /** Waits for every record to be handed on and closes the file; rejects with the sink's failure, if any. */
  async close(): Promise<void> {
    await this.chain;
    const file = this.file;
    if (file !== undefined && !file.destroyed && !file.writableFinished) {
      await new Promise<void>((resolve) => {
        file.once('finish', resolve);
        file.once('error', () => resolve());
        file.once('close', () => resolve());
        file.end();
      });
    }
    if (this.failure !== undefined) throw this.failure;
  }

  /** The records kept in memory, in row order. */
  records(): ExampleRecord[] {
    this.kept.sort((a, b) => a.row - b.row);
    return this.kept.map((k) => k.record);
  }
}
