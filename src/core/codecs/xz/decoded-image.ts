import { throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { checkRange } from '../../io/memory.ts';
import { guard } from '../kit/errors.ts';
import type { Progress } from '../kit/progress.ts';
import { decodeBlock } from './block-decoder.ts';
import { readBlockHeader } from './block-header.ts';
import type { BlockHeader } from './format.ts';
import { type XzLayout, blockAt } from './layout.ts';

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
  data: Uint8Array;
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
  /** Decoded bytes produced so far. */
  decodedBytes = 0;

  /** `progress` counts the reads of the image (planning); a splice passes its own to blockData. */
  constructor(input: ByteSource, layout: XzLayout, progress: Progress, signal?: AbortSignal) {
    this.#input = input;
    this.layout = layout;
    this.#signal = signal;
    this.#progress = progress;
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
    if (end <= first.imageOffset + first.size) {
      const data = await this.blockData(i, end - first.imageOffset);
      return data.subarray(offset - first.imageOffset, end - first.imageOffset);
    }
    const out = new Uint8Array(length);
    for (let at = offset; at < end; i++) {
      const block = this.layout.blocks[i];
      const to = Math.min(end, block.imageOffset + block.size);
      if (to <= at) continue;
      const data = await this.blockData(i, to - block.imageOffset);
      out.set(data.subarray(at - block.imageOffset, to - block.imageOffset), at - offset);
      at = to;
    }
    return out;
  }

  /** Block `i`'s decoded bytes: at least its first `needed`, all of them (verified) for blocks up to WHOLE_BLOCK_LIMIT. */
  async blockData(i: number, needed = Number.POSITIVE_INFINITY, progress = this.#progress): Promise<Uint8Array> {
    const held = this.#held.get(i);
    if (held && (held.complete || held.data.length >= needed)) {
      this.#held.delete(i);
      this.#held.set(i, held); // most recently used last
      return held.data;
    }
    const run = this.#queue.then(() => this.#decode(i, needed, progress));
    this.#queue = run.catch(() => undefined);
    return run;
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

  /** The whole block if it is held, decoded and verified. */
  heldComplete(i: number): Uint8Array | null {
    const held = this.#held.get(i);
    return held?.complete ? held.data : null;
  }

  /** Drops block `i` from the cache. */
  forget(i: number): void {
    const held = this.#held.get(i);
    if (!held) return;
    this.#heldBytes -= held.data.length;
    this.#held.delete(i);
  }

  release(): void {
    this.#held.clear();
    this.#heldBytes = 0;
  }

  async #decode(i: number, needed: number, progress: Progress): Promise<Uint8Array> {
    throwIfAborted(this.#signal);
    const before = this.#held.get(i);
    if (before && (before.complete || before.data.length >= needed)) return before.data;
    const block = this.layout.blocks[i];
    const have = before?.data.length ?? 0;
    const target = block.size <= WHOLE_BLOCK_LIMIT ? block.size : Math.min(block.size, Math.max(needed, 2 * have, needed + GROW_MIN));
    const data = new Uint8Array(target);
    if (before) data.set(before.data);
    const header = await this.header(i);
    let pos = 0;
    const complete = await decodeBlock(
      this.#input,
      block,
      header,
      (chunk) => {
        const end = pos + chunk.length;
        const from = Math.max(have, pos);
        const to = Math.min(end, target);
        if (to > from) data.set(chunk.subarray(from - pos, to - pos), from);
        pos = end;
        this.decodedBytes += chunk.length;
        // Blocks decoded whole run to their end, so the decoder verifies their check.
        return target === block.size || pos < target;
      },
      { signal: this.#signal, onRead: (position) => progress.read(position) },
    );
    this.forget(i);
    this.#held.set(i, { data, complete: complete && target === block.size });
    this.#heldBytes += data.length;
    for (const [k, v] of this.#held) {
      if (this.#heldBytes <= CACHE_BYTES) break;
      if (k === i) continue;
      this.#held.delete(k);
      this.#heldBytes -= v.data.length;
    }
    return data;
  }
}
