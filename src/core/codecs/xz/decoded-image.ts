import { throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { checkRange } from '../../io/memory.ts';
import { guard } from '../kit/errors.ts';
import type { Progress } from '../kit/progress.ts';
import { decodeBlock } from './block-decoder.ts';
import { readBlockHeader } from './block-header.ts';
import type { BlockHeader } from './format.ts';
import { type XzLayout, blockAt } from './layout.ts';
import { StoredBlock } from './stored-block.ts';
import { ZeroBlocks } from './zero-blocks.ts';

/**
 * Blocks up to this size are decoded whole, and their check verified, before any of their bytes is
 * used. Larger blocks (single-threaded xz writes the whole image as one) are decoded as far as
 * reads need; their check is verified only when decoded to the end.
 */
export const WHOLE_BLOCK_LIMIT = 64 << 20;
/** Decoded bytes kept for later reads; least recently used blocks are dropped first. */
export const CACHE_BYTES = 160 << 20;
/** A big block's decoded prefix grows by at least this much (each growth decodes from the block start again). */
const GROW_MIN = 32 << 20;

interface Held {
  /**
   * A block decoded whole (up to WHOLE_BLOCK_LIMIT): its bytes copied once out of the decoder,
   * straight into the stored-LZMA2 layout a splice writes out (stored-block.ts), so a splice takes
   * it as it is. Null for a larger block's decoded prefix, held in `chunks`.
   */
  stored: StoredBlock | null;
  /** A prefix: decoded bytes in pieces (one per growth), and where each starts. */
  chunks: Uint8Array[];
  starts: number[];
  length: number;
  /** Decoded to the block's end and verified. */
  complete: boolean;
}

/**
 * The decoded image as random-access bytes, its size known from the index. A read decodes only the
 * blocks it touches (block-decoder.ts, one block at a time) and keeps them in a small cache, so
 * planning reads the first blocks and a splice decodes only the touched ones.
 */
export class XzDecodedImage implements ByteSource {
  readonly layout: XzLayout;
  readonly #input: ByteSource;
  readonly #signal?: AbortSignal;
  readonly #progress: Progress;
  readonly #held = new Map<number, Held>();
  readonly #headers = new Map<number, BlockHeader>();
  #heldBytes = 0;
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * Decoded image bytes produced so far, by every operation on this image. A block handed on as
   * zeros because it is a copy of a zero block (zero-blocks.ts) counts too: its bytes were produced,
   * only not by the LZMA2 decoder; `zeros.copiedBytes` says how many were.
   */
  decodedBytes = 0;
  /** Zero blocks seen so far, shared by every whole-block decode over this input. */
  readonly zeros: ZeroBlocks;

  /** `progress` counts the reads of the image (planning); a splice passes its own. */
  constructor(input: ByteSource, layout: XzLayout, progress: Progress, signal?: AbortSignal) {
    this.#input = input;
    this.layout = layout;
    this.#signal = signal;
    this.#progress = progress;
    this.zeros = new ZeroBlocks(input);
    progress.phase = 'decode';
  }

  get size(): number {
    return this.layout.imageSize;
  }

  read(offset: number, length: number): Promise<Uint8Array> {
    return guard(this.#read(offset, length));
  }

  async #read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.size);
    if (length === 0) return new Uint8Array(0);
    const end = offset + length;
    let i = blockAt(this.layout, offset);
    const first = this.layout.blocks[i];
    if (end <= first.imageOffset + first.size) return this.range(i, offset - first.imageOffset, end - first.imageOffset);
    const out = new Uint8Array(length);
    for (let at = offset; at < end; i++) {
      const block = this.layout.blocks[i];
      const to = Math.min(end, block.imageOffset + block.size);
      if (to <= at) continue;
      out.set(await this.range(i, at - block.imageOffset, to - block.imageOffset), at - offset);
      at = to;
    }
    return out;
  }

  /**
   * Bytes [from, to) of block `i` (block coordinates), decoding it as needed: whole and verified for
   * blocks up to WHOLE_BLOCK_LIMIT. A view when they lie in one decoded chunk: do not mutate it.
   */
  async range(i: number, from: number, to: number): Promise<Uint8Array> {
    return slice(await this.#ensure(i, to, this.#progress, this.#signal), from, to);
  }

  /** Block `i`'s header, read and checked against the index once. */
  async header(i: number): Promise<BlockHeader> {
    let header = this.#headers.get(i);
    if (!header) {
      header = await readBlockHeader(this.#input, this.layout.blocks[i]);
      this.#headers.set(i, header);
    }
    return header;
  }

  /** The decoded bytes of block `i`, in order, if it is held whole and verified (views: do not mutate). */
  heldChunks(i: number): readonly Uint8Array[] | null {
    const held = this.#held.get(i);
    if (!held?.complete) return null;
    return held.stored ? held.stored.chunks() : held.chunks;
  }

  /** Block `i` as held whole and verified in the stored layout (do not mutate it), else null. */
  storedBlock(i: number): StoredBlock | null {
    const held = this.#held.get(i);
    return held?.complete && held.stored ? held.stored : null;
  }

  /** Drops block `i` from the cache. */
  forget(i: number): void {
    const held = this.#held.get(i);
    if (!held) return;
    this.#heldBytes -= held.length;
    this.#held.delete(i);
  }

  release(): void {
    this.#held.clear();
    this.#heldBytes = 0;
  }

  async #ensure(i: number, needed: number, progress: Progress, signal: AbortSignal | undefined): Promise<Held> {
    const held = this.#held.get(i);
    if (held && (held.complete || held.length >= needed)) {
      this.#held.delete(i);
      this.#held.set(i, held); // most recently used last
      return held;
    }
    const run = this.#queue.then(() => this.#decode(i, needed, progress, signal));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #decode(i: number, needed: number, progress: Progress, signal: AbortSignal | undefined): Promise<Held> {
    throwIfAborted(signal);
    const before = this.#held.get(i);
    if (before && (before.complete || before.length >= needed)) return before;
    const block = this.layout.blocks[i];
    const have = before?.length ?? 0;
    const target = block.size <= WHOLE_BLOCK_LIMIT ? block.size : Math.min(block.size, Math.max(needed, 2 * have, needed + GROW_MIN));
    const header = await this.header(i);
    let held: Held;
    if (target === block.size && block.size <= WHOLE_BLOCK_LIMIT) {
      const stored = new StoredBlock(block.size, block.checkId, header.dictionaryByte);
      let pos = 0;
      await this.zeros.decode(
        block,
        header,
        (chunk, shared) => {
          // The stored layout's data starts zero: the shared zeros need not be written.
          if (!shared) stored.write(pos, chunk);
          pos += chunk.length;
          this.decodedBytes += chunk.length;
        },
        { signal, onRead: (position) => progress.read(position) },
      );
      held = { stored, chunks: [], starts: [], length: block.size, complete: true };
    } else {
      // A larger block: the bytes beyond what is held, up to `target`, copied into one new piece.
      const piece = new Uint8Array(target - have);
      let pos = 0;
      const complete = await decodeBlock(
        this.#input,
        block,
        header,
        (chunk) => {
          const end = pos + chunk.length;
          const from = Math.max(have, pos);
          const to = Math.min(end, target);
          if (to > from) piece.set(chunk.subarray(from - pos, to - pos), from - have);
          pos = end;
          this.decodedBytes += chunk.length;
          // Run to the end when the whole block is wanted, so the decoder verifies its check.
          return target === block.size || pos < target;
        },
        { signal, onRead: (position) => progress.read(position) },
      );
      const length = Math.min(pos, target);
      const chunks = before ? before.chunks.slice() : [];
      const starts = before ? before.starts.slice() : [];
      if (length > have) {
        chunks.push(length === target ? piece : piece.subarray(0, length - have));
        starts.push(have);
      }
      held = { stored: null, chunks, starts, length: Math.max(length, have), complete: complete && target === block.size };
    }
    this.forget(i);
    this.#held.set(i, held);
    this.#heldBytes += held.length;
    for (const [k, v] of this.#held) {
      if (this.#heldBytes <= CACHE_BYTES) break;
      if (k === i) continue;
      this.#held.delete(k);
      this.#heldBytes -= v.length;
    }
    return held;
  }
}

/** Bytes [from, to) of a held block: a view inside one chunk, else a copy. */
function slice(held: Held, from: number, to: number): Uint8Array {
  if (held.stored) return held.stored.view(from, to);
  const k = chunkAt(held, from);
  const c = held.chunks[k];
  if (c && to <= held.starts[k] + c.length) return c.subarray(from - held.starts[k], to - held.starts[k]);
  const out = new Uint8Array(to - from);
  copyRange(held, from, to, out);
  return out;
}

/** Copies bytes [from, to) of a held block into `out`. */
function copyRange(held: Held, from: number, to: number, out: Uint8Array): void {
  const { chunks, starts } = held;
  for (let k = chunkAt(held, from), at = from; at < to; k++) {
    const c = chunks[k];
    const n = Math.min(to, starts[k] + c.length) - at;
    out.set(c.subarray(at - starts[k], at - starts[k] + n), at - from);
    at += n;
  }
}

/** Index of the chunk holding block byte `offset` (binary search). */
function chunkAt(held: Held, offset: number): number {
  let lo = 0;
  let hi = held.chunks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (held.starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
