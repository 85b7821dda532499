import { CoreError, isCoreError, throwIfAborted } from '../errors.ts';
import type { ChangedRange } from '../io/overlay.ts';
import type { WriteOptions, WriteSummary } from './stream-codec.ts';
import type { DecodedHead } from './decoded-head.ts';
import type { InputReader } from './stream-reader.ts';

/** Where writers put bytes: the output stream, or a counter / buffer. */
export interface ChunkSink {
  write(bytes: Uint8Array): Promise<void>;
}

const BATCH = 256 * 1024;

/**
 * The output side of a write: batches small pieces, respects back-pressure, counts bytes and
 * reports progress through the input reader. Nothing is committed until `close`: on any error the
 * writer calls `abort` on the stream, so a sink that discards aborted output (the pipeline's file
 * writers do) never leaves a partial file.
 */
export class OutputWriter implements ChunkSink {
  readonly #writer: WritableStreamDefaultWriter<Uint8Array>;
  readonly #input: InputReader;
  readonly #signal: AbortSignal | undefined;
  #batch: Uint8Array[] = [];
  #batched = 0;
  #written = 0;

  constructor(out: WritableStream<Uint8Array>, input: InputReader, options: WriteOptions = {}) {
    this.#writer = out.getWriter();
    this.#input = input;
    this.#signal = options.signal;
    input.phase = 'write';
  }

  get bytesWritten(): number {
    return this.#written;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    this.#batch.push(bytes);
    this.#batched += bytes.length;
    this.#written += bytes.length;
    if (this.#batched >= BATCH) await this.#flush();
  }

  async #flush(): Promise<void> {
    throwIfAborted(this.#signal);
    if (this.#batched === 0) return;
    let chunk: Uint8Array;
    if (this.#batch.length === 1) chunk = this.#batch[0];
    else {
      chunk = new Uint8Array(this.#batched);
      let o = 0;
      for (const b of this.#batch) {
        chunk.set(b, o);
        o += b.length;
      }
    }
    this.#batch = [];
    this.#batched = 0;
    await this.#writer.ready;
    await this.#writer.write(chunk);
    this.#input.bytesWritten = this.#written;
    this.#input.report();
  }

  async close(): Promise<void> {
    await this.#flush();
    await this.#writer.close();
    this.#input.report(true);
  }

  async abort(reason: unknown): Promise<void> {
    this.#batch = [];
    await this.#writer.abort(reason).catch(() => undefined);
  }
}

/**
 * Runs a write: on success closes (commits) the output, on failure aborts it and releases the
 * input, then rethrows; a non-CoreError from a sink is wrapped so hosts see a stable code.
 */
export async function runWrite(
  out: WritableStream<Uint8Array>,
  input: InputReader,
  options: WriteOptions | undefined,
  body: (w: OutputWriter) => Promise<Omit<WriteSummary, 'bytesWritten'>>,
): Promise<WriteSummary> {
  const w = new OutputWriter(out, input, options);
  try {
    const summary = await body(w);
    await w.close();
    await input.cancel();
    return { ...summary, bytesWritten: w.bytesWritten };
  } catch (e) {
    await w.abort(e);
    await input.cancel(e);
    if (isCoreError(e)) throw e;
    throw new CoreError('IO_TRUNCATED', `Writing the output failed: ${e instanceof Error ? e.message : String(e)}.`, { cause: e });
  }
}

/** Checks the changes are sorted, non-overlapping and inside `size` (when known). */
export function checkChanges(changes: readonly ChangedRange[], size = Number.POSITIVE_INFINITY): void {
  let end = 0;
  for (const c of changes) {
    if (!Number.isSafeInteger(c.offset) || c.offset < end || c.offset + c.bytes.length > size) {
      throw new CoreError('IO_OUT_OF_RANGE', `The change at byte ${c.offset} (${c.bytes.length} bytes) is out of order or outside the image.`, {
        offset: c.offset,
        length: c.bytes.length,
      });
    }
    end = c.offset + c.bytes.length;
  }
}

/** `chunk` (image bytes at `offset`) with the overlapping changes laid over; copies only if touched. */
export function applyChanges(chunk: Uint8Array, offset: number, changes: readonly ChangedRange[]): Uint8Array {
  const end = offset + chunk.length;
  let out = chunk;
  for (const c of changes) {
    const cEnd = c.offset + c.bytes.length;
    if (cEnd <= offset) continue;
    if (c.offset >= end) break;
    if (out === chunk) out = chunk.slice();
    const from = Math.max(c.offset, offset);
    const to = Math.min(cEnd, end);
    out.set(c.bytes.subarray(from - c.offset, to - c.offset), from - offset);
  }
  return out;
}

/**
 * The plain image with the changes laid over: first the decoded head (then released), then every
 * further chunk `next` decodes. The input reader stops retaining compressed bytes, since nothing
 * will be spliced. Returns the image length.
 */
export async function writePlainImage(
  w: ChunkSink,
  head: DecodedHead,
  reader: InputReader,
  next: () => Promise<Uint8Array | null>,
  changes: readonly ChangedRange[],
): Promise<number> {
  let pos = 0;
  for (const c of head.chunks) {
    await w.write(applyChanges(c, pos, changes));
    pos += c.length;
  }
  head.release();
  reader.retain = false;
  reader.dropBefore(reader.position);
  for (;;) {
    const c = await next();
    if (!c) break;
    await w.write(applyChanges(c, pos, changes));
    pos += c.length;
  }
  checkChanges(changes, pos);
  return pos;
}

/**
 * Decodes the image through the end of the last change and returns that end (0 when there are no
 * changes); a change past the end of the image is IO_OUT_OF_RANGE.
 */
export async function decodeThroughChanges(head: DecodedHead, changes: readonly ChangedRange[]): Promise<number> {
  const last = changes[changes.length - 1];
  if (!last) return 0;
  const hi = last.offset + last.bytes.length;
  await head.ensure(hi);
  if (head.decodedLength < hi) {
    throw new CoreError('IO_OUT_OF_RANGE', `A change ends at byte ${hi}, past the end of the image (${head.decodedLength} bytes).`);
  }
  return hi;
}
