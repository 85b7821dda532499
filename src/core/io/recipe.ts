import { CoreError, throwIfAborted } from '../errors.ts';
import { concat } from '../bytes/concat.ts';
import type { ByteSource } from './byte-source.ts';

/**
 * An output described as a list of pieces: ranges of the input copied unchanged, and new bytes.
 * A splice's output is almost all input ranges (everything but the re-encoded region, the seams,
 * trailers and rewritten headers), so a host can realise it the fastest way its platform has:
 * - browser: `new Blob(segments.map(s => s.kind === 'input' ? file.slice(s.offset, s.offset + s.length) : s.bytes))`
 *   — no copied byte passes through JavaScript (tech-notes §9);
 * - Node: large reads and writes of the input ranges into the atomic output file;
 * - any WritableStream: `writeRecipe` below.
 * Segments are in output order; `size` is their total length.
 */
export type RecipeSegment = { kind: 'input'; offset: number; length: number } | { kind: 'bytes'; bytes: Uint8Array };

export interface OutputRecipe {
  readonly segments: readonly RecipeSegment[];
  /** Output length in bytes (sum of the segments). */
  readonly size: number;
}

/** Below this, new bytes are merged into one segment rather than kept as many small ones. */
const MERGE_BYTES = 64 * 1024;

/**
 * Builds a recipe. `copy` merges with an adjacent previous input range; small `bytes` pieces are
 * coalesced so a bit-level writer can push byte by byte without making thousands of segments.
 */
export class RecipeBuilder {
  readonly #segments: RecipeSegment[] = [];
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Copies `length` input bytes at `offset` unchanged. */
  copy(offset: number, length: number): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw new CoreError('INTERNAL', `Invalid input range ${offset}+${length} in an output recipe.`);
    }
    if (length === 0) return;
    this.#flushPending();
    const last = this.#segments[this.#segments.length - 1];
    if (last?.kind === 'input' && last.offset + last.length === offset) last.length += length;
    else this.#segments.push({ kind: 'input', offset, length });
    this.#size += length;
  }

  /** Appends new bytes (kept by reference until coalesced; do not mutate them afterwards). */
  bytes(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    this.#size += bytes.length;
    if (this.#pendingBytes >= MERGE_BYTES) this.#flushPending();
  }

  /** ChunkSink-compatible alias of `bytes`, so writers that push output can target a recipe. */
  async write(bytes: Uint8Array): Promise<void> {
    this.bytes(bytes);
  }

  finish(): OutputRecipe {
    this.#flushPending();
    return { segments: this.#segments.slice(), size: this.#size };
  }

  #flushPending(): void {
    if (this.#pending.length === 0) return;
    const bytes = this.#pending.length === 1 ? this.#pending[0] : concat(this.#pending, this.#pendingBytes);
    this.#segments.push({ kind: 'bytes', bytes });
    this.#pending = [];
    this.#pendingBytes = 0;
  }
}

/** Sum of the bytes a recipe takes from the input (the rest is new). */
export function recipeInputBytes(recipe: OutputRecipe): number {
  let n = 0;
  for (const s of recipe.segments) if (s.kind === 'input') n += s.length;
  return n;
}

export interface WriteRecipeOptions {
  signal?: AbortSignal;
  /** Bytes per input read (default 8 MiB). */
  chunkSize?: number;
  onProgress?: (bytesWritten: number, total: number) => void;
}

/**
 * Realises a recipe into a WritableStream, reading input ranges in large chunks and honouring
 * back-pressure. Closes `out` on success and aborts it on failure (all-or-nothing, as the codecs'
 * streamed writers do). For hosts without a faster way (standard output, a transferred stream).
 */
export async function writeRecipe(recipe: OutputRecipe, input: ByteSource, out: WritableStream<Uint8Array>, options: WriteRecipeOptions = {}): Promise<void> {
  const chunkSize = options.chunkSize ?? 8 * 2 ** 20;
  const writer = out.getWriter();
  let written = 0;
  try {
    for (const s of recipe.segments) {
      if (s.kind === 'bytes') {
        throwIfAborted(options.signal);
        await writer.ready;
        await writer.write(s.bytes);
        written += s.bytes.length;
        options.onProgress?.(written, recipe.size);
        continue;
      }
      for (let done = 0; done < s.length; ) {
        throwIfAborted(options.signal);
        const n = Math.min(chunkSize, s.length - done);
        // Copy: a source may hand out a view it reuses on the next read.
        const bytes = (await input.read(s.offset + done, n)).slice();
        await writer.ready;
        await writer.write(bytes);
        done += n;
        written += n;
        options.onProgress?.(written, recipe.size);
      }
    }
    await writer.close();
  } catch (e) {
    await writer.abort(e).catch(() => undefined);
    throw e;
  }
}
