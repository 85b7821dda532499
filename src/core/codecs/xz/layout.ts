import { throwIfAborted } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import { corrupt, truncated } from '../kit/errors.ts';
import {
  type IndexRecord,
  STREAM_HEADER_SIZE,
  STREAM_MAGIC,
  checkSize,
  hasStreamMagic,
  isStreamFooter,
  padTo4,
  parseIndex,
  parseStreamHeader,
  readStreamFooter,
} from './format.ts';

/** One block as the index places it. */
export interface XzBlock {
  /** 1-based over the whole file, as `xz --list` numbers blocks. */
  number: number;
  /** Index into `XzLayout.streams`. */
  stream: number;
  /** File offset of the block header. */
  offset: number;
  /** §4.3.1: header + compressed data + check, without block padding. */
  unpaddedSize: number;
  /** Bytes the block takes in the file (unpadded size rounded up to four: the check is 0/4/8/32). */
  totalSize: number;
  /** Offset of its first byte in the decoded image, and its decoded length. */
  imageOffset: number;
  size: number;
  checkId: number;
}

export interface XzStream {
  /** 1-based. */
  number: number;
  /** File offset of the stream header. */
  offset: number;
  checkId: number;
  /** Its blocks, in order (a slice of `XzLayout.blocks`). */
  blocks: XzBlock[];
  indexOffset: number;
  indexSize: number;
  /** One past the stream footer. */
  end: number;
  /** Stream padding (§2.2) after the footer. */
  paddingAfter: number;
}

export interface XzLayout {
  streams: XzStream[];
  blocks: XzBlock[];
  /** Decoded image length: the sum of every block's uncompressed size. */
  imageSize: number;
  fileSize: number;
}

/** Larger indexes are refused rather than read (4 M blocks; real files have a few hundred). */
const MAX_INDEX = 64 << 20;
/** How far back from the end a footer is looked for, to tell appended bytes from a cut file. */
const FOOTER_SEARCH = 1 << 20;
/** Stream padding is read backwards in pieces of this size. */
const PADDING_PIECE = 64 << 10;

/**
 * Reads the container from the END of the file (xz-file-format §2): stream footer → index →
 * stream header, walking back over concatenated streams and stream padding. Everything the index
 * states is checked for consistency (CRC32s, backward size, header and footer flags, that the blocks
 * exactly fill the room between header and index); the block headers themselves are checked when a
 * block is used (block-header.ts). A handful of small reads, whatever the file size.
 */
export async function readLayout(input: ByteSource, signal?: AbortSignal): Promise<XzLayout> {
  const fileSize = input.size;
  if (fileSize < STREAM_HEADER_SIZE) {
    const head = await input.read(0, fileSize);
    if (head.every((b, i) => i >= STREAM_MAGIC.length || b === STREAM_MAGIC[i])) throw truncated('the .xz stream header', fileSize);
    throw corrupt('The input is not an .xz stream: its header magic bytes are wrong.');
  }
  parseStreamHeader(await input.read(0, STREAM_HEADER_SIZE));
  await checkEnd(input);
  const found: Omit<XzStream, 'number' | 'blocks'>[] = [];
  const records: IndexRecord[][] = [];
  let end = fileSize;
  while (end > 0) {
    throwIfAborted(signal);
    const paddingEnd = end;
    end = await skipPaddingBackwards(input, end);
    if (end === 0) throw corrupt('The .xz file starts with zero bytes instead of a stream header.');
    const stream = await readStreamBackwards(input, end);
    found.unshift({ ...stream.info, paddingAfter: paddingEnd - end });
    records.unshift(stream.records);
    end = stream.info.offset;
  }
  return assemble(found, records, fileSize);
}

/**
 * The file must end with a stream footer (possibly followed by stream padding). If it does not,
 * say whether bytes were appended after a footer or the file was cut.
 */
async function checkEnd(input: ByteSource): Promise<void> {
  const size = input.size;
  if (size % 4 === 0 && isStreamFooter(await input.read(size - STREAM_HEADER_SIZE, STREAM_HEADER_SIZE))) return;
  const from = Math.max(0, size - FOOTER_SEARCH);
  const tail = await input.read(from, size - from);
  let last = -1;
  for (let e = size - (size % 4); e - STREAM_HEADER_SIZE >= from; e -= 4) {
    if (isStreamFooter(tail.subarray(e - STREAM_HEADER_SIZE - from, e - from))) {
      last = e;
      break;
    }
  }
  if (last === size) return;
  if (last >= 0 && tail.subarray(last - from).every((b) => b === 0) && (size - last) % 4 === 0) return;
  if (last >= 0) {
    throw corrupt(`The .xz file has ${size - last} unexpected bytes after the end of its last stream (from byte ${last}).`, { offset: last, reason: 'trailing-data' });
  }
  throw truncated('an .xz stream (no stream footer at its end)', size);
}

/** Moves `end` back over stream padding (groups of four zero bytes). */
async function skipPaddingBackwards(input: ByteSource, end: number): Promise<number> {
  let at = end;
  while (at > 0) {
    const from = Math.max(0, at - PADDING_PIECE);
    const piece = await input.read(from, at - from);
    let i = piece.length;
    while (i >= 4 && piece[i - 1] === 0 && piece[i - 2] === 0 && piece[i - 3] === 0 && piece[i - 4] === 0) i -= 4;
    at = from + i;
    if (i > 0) break;
  }
  return at;
}

async function readStreamBackwards(input: ByteSource, end: number) {
  const where = (what: string) => `The .xz file is corrupt: ${what} (stream ending at byte ${end}).`;
  if (end < 2 * STREAM_HEADER_SIZE + 8) throw corrupt(where('a stream is too short to hold a header, an index and a footer'), { offset: end });
  const footer = readStreamFooter(await input.read(end - STREAM_HEADER_SIZE, STREAM_HEADER_SIZE));
  const indexOffset = end - STREAM_HEADER_SIZE - footer.indexSize;
  if (footer.indexSize > MAX_INDEX || indexOffset < STREAM_HEADER_SIZE) {
    throw corrupt(where(`its footer gives an index of ${footer.indexSize} bytes, which does not fit`), { offset: end - STREAM_HEADER_SIZE });
  }
  const recs = parseIndex((await input.read(indexOffset, footer.indexSize)).slice(), indexOffset);
  let blocksSize = 0;
  for (const r of recs) blocksSize += r.unpaddedSize + padTo4(r.unpaddedSize);
  const offset = indexOffset - blocksSize - STREAM_HEADER_SIZE;
  if (offset < 0) throw corrupt(where(`its index lists ${blocksSize} bytes of blocks, more than the file holds before it`), { offset: indexOffset });
  const header = await input.read(offset, STREAM_HEADER_SIZE);
  if (!hasStreamMagic(header)) {
    throw corrupt(where(`no stream header at byte ${offset}, where its index places the start of the stream: the index or the blocks are damaged`), { offset });
  }
  const checkId = parseStreamHeader(header);
  if (checkId !== footer.checkId) throw corrupt(where('its footer names another check type than its header'), { offset: end - STREAM_HEADER_SIZE });
  for (const r of recs) {
    if (r.unpaddedSize - checkSize(checkId) < 9) throw corrupt(where(`its index gives a block size (${r.unpaddedSize}) too small for its check`), { offset: indexOffset });
  }
  return { info: { offset, checkId, indexOffset, indexSize: footer.indexSize, end }, records: recs };
}

function assemble(found: Omit<XzStream, 'number' | 'blocks'>[], records: IndexRecord[][], fileSize: number): XzLayout {
  const blocks: XzBlock[] = [];
  const streams: XzStream[] = [];
  let imageOffset = 0;
  found.forEach((s, i) => {
    const stream: XzStream = { ...s, number: i + 1, blocks: [] };
    let offset = s.offset + STREAM_HEADER_SIZE;
    for (const r of records[i]) {
      const totalSize = r.unpaddedSize + padTo4(r.unpaddedSize);
      const block: XzBlock = {
        number: blocks.length + 1,
        stream: i,
        offset,
        unpaddedSize: r.unpaddedSize,
        totalSize,
        imageOffset,
        size: r.uncompressedSize,
        checkId: s.checkId,
      };
      blocks.push(block);
      stream.blocks.push(block);
      offset += totalSize;
      imageOffset += r.uncompressedSize;
    }
    streams.push(stream);
  });
  if (!Number.isSafeInteger(imageOffset)) throw corrupt('The .xz index gives an image size beyond 2^53 bytes.');
  return { streams, blocks, imageSize: imageOffset, fileSize };
}

/** The block holding image byte `offset` (binary search; `offset` < image size). */
export function blockAt(layout: XzLayout, offset: number): number {
  const blocks = layout.blocks;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (blocks[mid].imageOffset <= offset) lo = mid;
    else hi = mid - 1;
  }
  // Skip empty blocks (size 0) sharing the offset.
  while (lo < blocks.length - 1 && blocks[lo].imageOffset + blocks[lo].size <= offset) lo++;
  return lo;
}
