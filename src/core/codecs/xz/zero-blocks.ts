import { throwIfAborted } from '../../errors.ts';
import { equalBytes, isAllZero } from '../../bytes/compare.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { type DecodeBlockOptions, decodeBlock } from './block-decoder.ts';
import type { BlockHeader } from './format.ts';
import type { XzBlock } from './layout.ts';

/** A block that decoded to zeros is kept (its compressed bytes) only up to this size. */
export const ZERO_BLOCK_MAX_BYTES = 1 << 20;
/** Distinct zero blocks kept: a file has one or two (the full-size one, a shorter last one). */
const ZERO_BLOCKS_KEPT = 4;
/** Zeros are handed on in pieces of this size, all views of one shared buffer. */
export const ZERO_PIECE = 1 << 20;

let sharedZeros = new Uint8Array(ZERO_PIECE);

/** The shared zero buffer (made again if a sink transferred it away: a detached buffer has length 0). */
function zeros(): Uint8Array {
  if (sharedZeros.length !== ZERO_PIECE) sharedZeros = new Uint8Array(ZERO_PIECE);
  return sharedZeros;
}

/**
 * Receives a whole block's bytes in order, as `decodeBlock` hands them on (a view valid until the
 * returned promise settles). `shared` is true for a piece of the shared zero buffer: never modified,
 * so it may be kept or passed on as it is (and must not be modified either).
 */
export type BlockChunk = (chunk: Uint8Array, shared: boolean) => void | Promise<void>;

/**
 * Blocks that are byte-identical copies of a block already decoded to zeros are not decoded again
 * (multi-threaded xz cuts an image's empty space into many identical blocks: xz-file-format §3, a
 * block depends only on its own bytes). Every whole-block decode of the xz codec goes through
 * `decode`: the streamed plain image, verifyInput, the decoded image's cache and a splice's touched
 * blocks.
 *
 * The rule, one block at a time:
 * - while a block is decoded, its output is checked for zeros as it streams through (stopping at
 *   the first non-zero byte); a block that decoded to its end, its size and check verified, all
 *   zeros, whose compressed bytes (header, data, padding, check) are at most 1 MiB, is kept: those
 *   bytes are read once more and held (at most four such blocks);
 * - a later block whose index entry has the same unpadded and uncompressed sizes, in a stream with
 *   the same check type, and whose compressed bytes are byte for byte a kept block's, is handed on
 *   as zeros without decoding. Any other block (one byte different) is decoded as before, with the
 *   same errors.
 */
export class ZeroBlocks {
  readonly #input: ByteSource;
  readonly #kept: { block: XzBlock; bytes: Uint8Array }[] = [];
  /** Blocks handed on as zeros without decoding, and their bytes (for tests and reports). */
  copiedBlocks = 0;
  copiedBytes = 0;

  constructor(input: ByteSource) {
    this.#input = input;
  }

  /**
   * Block `block` whole, in order, to `onChunk`: zeros when it is a copy of a kept zero block,
   * else decoded (`decodeBlock`, its size and check verified). Resolves true for a copy. Zeros go
   * in ZERO_PIECE pieces with the signal checked before each and `onRead` called at the block's end.
   */
  async decode(block: XzBlock, header: BlockHeader, onChunk: BlockChunk, options: DecodeBlockOptions = {}): Promise<boolean> {
    if (await this.#isCopy(block)) {
      for (let at = 0; at < block.size; at += ZERO_PIECE) {
        throwIfAborted(options.signal);
        await onChunk(zeros().subarray(0, Math.min(ZERO_PIECE, block.size - at)), true);
      }
      options.onRead?.(block.offset + block.totalSize);
      this.copiedBlocks++;
      this.copiedBytes += block.size;
      return true;
    }
    let allZero = this.#mayKeep(block);
    await decodeBlock(
      this.#input,
      block,
      header,
      (chunk) => {
        if (allZero) allZero = isAllZero(chunk);
        return onChunk(chunk, false);
      },
      options,
    );
    // decodeBlock resolved: the block decoded to its end, its size and check verified.
    if (allZero && !(await this.#isCopy(block))) this.#kept.push({ block, bytes: (await this.#input.read(block.offset, block.totalSize)).slice() });
    return false;
  }

  #mayKeep(block: XzBlock): boolean {
    return block.size > 0 && block.totalSize <= ZERO_BLOCK_MAX_BYTES && this.#kept.length < ZERO_BLOCKS_KEPT;
  }

  /** Whether `block` is byte for byte a kept zero block (the input is read only when the index entries match). */
  async #isCopy(block: XzBlock): Promise<boolean> {
    const same = this.#kept.filter(
      (k) => k.block.unpaddedSize === block.unpaddedSize && k.block.size === block.size && k.block.checkId === block.checkId,
    );
    if (same.length === 0) return false;
    const bytes = await this.#input.read(block.offset, block.totalSize);
    return same.some((k) => equalBytes(k.bytes, bytes));
  }
}
