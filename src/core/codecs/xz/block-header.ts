import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt } from '../kit/errors.ts';
import { type BlockHeader, blockHeaderSize, checkSize, parseBlockHeader } from './format.ts';
import type { XzBlock } from './layout.ts';

const MAX_HEADER = 1024;

/**
 * Reads the header of a block the index placed, and cross-checks the two (xz-file-format §3.1):
 * a header must be there (its CRC32 right), and the sizes it states, when it states them, must be
 * those of the index. This is what catches a lying index for blocks that are only copied.
 */
export async function readBlockHeader(input: ByteSource, block: XzBlock): Promise<BlockHeader> {
  const n = block.number;
  // One read: a header is at most 1024 bytes (§3.1.1), and never longer than the block.
  const bytes = await input.read(block.offset, Math.min(MAX_HEADER, block.totalSize));
  const first = bytes[0];
  if (first === 0x00) throw mismatch(block, 'the index places a block where there is none');
  const size = blockHeaderSize(first);
  if (size + checkSize(block.checkId) >= block.unpaddedSize) throw mismatch(block, `its header (${size} bytes) does not fit the size the index gives it`);
  const header = parseBlockHeader(bytes.slice(0, size), n);
  const data = block.unpaddedSize - size - checkSize(block.checkId);
  if (header.compressedSize !== undefined && header.compressedSize !== data) {
    throw mismatch(block, `its header says ${header.compressedSize} compressed bytes, the index ${data}`);
  }
  if (header.uncompressedSize !== undefined && header.uncompressedSize !== block.size) {
    throw mismatch(block, `its header says ${header.uncompressedSize} uncompressed bytes, the index ${block.size}`);
  }
  return header;
}

export function mismatch(block: XzBlock, why: string): Error {
  return corrupt(`The .xz index does not match block ${block.number} (at byte ${block.offset}): ${why}; the index or the block is corrupt.`, {
    block: block.number,
    offset: block.offset,
  });
}
