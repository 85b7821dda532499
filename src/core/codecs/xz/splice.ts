import { CoreError, throwIfAborted } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { RecipeBuilder } from '../../io/recipe.ts';
import type { SpliceOptions, SpliceResult } from '../codec.ts';
import { checkChanges } from '../kit/changes.ts';
import type { CodecInput } from '../kit/open.ts';
import type { Progress } from '../kit/progress.ts';
import { patchedCheck } from './check-patch.ts';
import { isKnownCheck } from './check.ts';
import type { XzDecodedImage } from './decoded-image.ts';
import { STREAM_HEADER_SIZE, type IndexRecord, checkName, checkSize, encodeIndex, encodeStreamFooter } from './format.ts';
import { type XzBlock, blockAt } from './layout.ts';
import { StoredBlock } from './stored-block.ts';

/**
 * A touched block is re-emitted uncompressed and held in the recipe until it is written: larger
 * blocks are refused (SPLICE_IMPOSSIBLE) rather than held.
 */
export const MAX_STORED_BLOCK = 256 << 20;

/** Block headers are read this many at a time (a File read costs a round trip in a browser). */
const HEADER_BATCH = 16;

/** What a splice can be replaced by (codec ids), for SPLICE_IMPOSSIBLE's `detail.alternatives`. */
const ALTERNATIVES = ['raw', 'gzip'];

/**
 * The xz splice (tech-notes §3.8) as a recipe: the blocks the changes touch are decoded (alone),
 * patched and re-emitted as stored LZMA2 with a new check; every other block is an input range;
 * streams with a touched block get a new index and footer, the others keep theirs. Whether the
 * splice is possible is settled before anything is decoded.
 */
export async function spliceXz(ci: CodecInput, image: XzDecodedImage, changes: readonly ChangedRange[], options: SpliceOptions): Promise<SpliceResult> {
  const { layout } = image;
  const signal = options.signal ?? ci.options.signal;
  checkChanges(changes, layout.imageSize);
  const touched = touchedBlocks(image, changes);
  for (const i of touched) refuseUnspliceable(image, layout.blocks[i]);
  // Every block header is read and checked against the index: cheap, and it catches a lying index
  // before its records are copied into the output.
  for (let i = 0; i < layout.blocks.length; i += HEADER_BATCH) {
    throwIfAborted(signal);
    const batch = await Promise.allSettled(layout.blocks.slice(i, i + HEADER_BATCH).map((b) => image.header(b.number - 1)));
    // The first bad header in file order, whichever read finished first.
    for (const r of batch) if (r.status === 'rejected') throw r.reason;
  }
  const progress = ci.progress(options.onProgress);
  progress.phase = 'verify';
  if (options.verifyInput) await verifyUntouched(ci, image, touched, progress, signal);
  progress.phase = 'decode';

  const out = new RecipeBuilder();
  let reencodedBytes = 0;
  for (const stream of layout.streams) {
    throwIfAborted(signal);
    out.copy(stream.offset, STREAM_HEADER_SIZE);
    const records: IndexRecord[] = [];
    let edited = false;
    for (const block of stream.blocks) {
      const i = block.number - 1;
      if (!touched.has(i)) {
        out.copy(block.offset, block.totalSize);
        records.push({ unpaddedSize: block.unpaddedSize, uncompressedSize: block.size });
        continue;
      }
      records.push(await restore(ci, image, i, changes, out, progress, signal));
      reencodedBytes += block.size;
      edited = true;
    }
    if (edited) {
      const index = encodeIndex(records);
      out.bytes(index);
      out.bytes(encodeStreamFooter(index.length, stream.checkId));
    } else {
      out.copy(stream.indexOffset, stream.indexSize + STREAM_HEADER_SIZE);
    }
    out.copy(stream.end, stream.paddingAfter);
  }
  const recipe = out.finish();
  progress.phase = 'patch';
  progress.report(true);
  return { recipe, imageSize: layout.imageSize, decodedBytes: image.decodedBytes, reencodedBytes };
}

/** Indexes of the blocks holding changed bytes. */
function touchedBlocks(image: XzDecodedImage, changes: readonly ChangedRange[]): Set<number> {
  const { blocks } = image.layout;
  const touched = new Set<number>();
  for (const c of changes) {
    if (c.bytes.length === 0) continue;
    const end = c.offset + c.bytes.length;
    for (let i = blockAt(image.layout, c.offset); i < blocks.length && blocks[i].imageOffset < end; i++) {
      if (blocks[i].size > 0) touched.add(i);
    }
  }
  return touched;
}

function refuseUnspliceable(image: XzDecodedImage, block: XzBlock): void {
  const stream = image.layout.streams[block.stream];
  const detail = { block: block.number, uncompressedSize: block.size, alternatives: ALTERNATIVES };
  if (stream.blocks.length === 1) {
    const what = image.layout.streams.length === 1 ? 'This .xz has a single block' : `Stream ${stream.number} of this .xz has a single block`;
    throw new CoreError(
      'SPLICE_IMPOSSIBLE',
      `${what}, so it cannot be edited without re-compressing all ${block.size} bytes; save as .img (raw) or .img.gz (gzip) instead.`,
      detail,
    );
  }
  if (block.size > MAX_STORED_BLOCK) {
    throw new CoreError(
      'SPLICE_IMPOSSIBLE',
      `This .xz holds the changed bytes in block ${block.number} of ${block.size} bytes, too large to store uncompressed; save as .img (raw) or .img.gz (gzip) instead.`,
      detail,
    );
  }
  if (!isKnownCheck(block.checkId)) {
    throw new CoreError(
      'SPLICE_IMPOSSIBLE',
      `This .xz uses ${checkName(block.checkId)}, which this program cannot compute for an edited block; save as .img (raw) or .img.gz (gzip) instead.`,
      detail,
    );
  }
}

/**
 * Re-emits touched block `i` with the changes, as stored LZMA2. The block in stored layout comes
 * from the image's cache when planning decoded it (no copy), else it is decoded straight into that
 * layout (the decoder verifies its check); the changes are laid over copies of the 64 KiB chunks
 * they touch, and the check is patched from the old one. The recipe takes views of the block's
 * buffer between the patched chunks.
 */
async function restore(
  ci: CodecInput,
  image: XzDecodedImage,
  i: number,
  changes: readonly ChangedRange[],
  out: RecipeBuilder,
  progress: Progress,
  signal: AbortSignal | undefined,
): Promise<IndexRecord> {
  const block = image.layout.blocks[i];
  const header = await image.header(i);
  let stored = image.storedBlock(i);
  if (!stored) {
    const fresh = new StoredBlock(block.size, block.checkId, header.dictionaryByte);
    let at = 0;
    const take = (chunk: Uint8Array) => {
      fresh.write(at, chunk);
      at += chunk.length;
    };
    const held = image.heldChunks(i);
    if (held) held.forEach(take);
    else {
      throwIfAborted(signal);
      await image.zeros.decode(block, header, take, { signal, onRead: (p) => progress.read(p) });
      image.decodedBytes += block.size;
    }
    stored = fresh;
  }
  // The recipe keeps the block's buffer until it is written; the cache need not.
  image.forget(i);
  const checkLength = checkSize(block.checkId);
  const oldCheck = (await ci.input.read(block.offset + block.totalSize - checkLength, checkLength)).slice();
  const local = changes.map((c) => ({ ...c, offset: c.offset - block.imageOffset }));
  const check = await patchedCheck(block.checkId, oldCheck, stored, 0, block.size, local);
  for (const piece of stored.patchedPieces(local, check)) out.bytes(piece);
  return stored.record;
}

/**
 * verifyInput: decodes every block the recipe only copies, checking its check and sizes. A
 * byte-identical copy of a zero block verified before is verified by being identical (zero-blocks.ts).
 */
async function verifyUntouched(ci: CodecInput, image: XzDecodedImage, touched: Set<number>, progress: Progress, signal: AbortSignal | undefined): Promise<void> {
  const { blocks } = image.layout;
  for (let i = 0; i < blocks.length; i++) {
    if (touched.has(i) || image.heldChunks(i)) continue;
    const header = await image.header(i);
    await image.zeros.decode(blocks[i], header, () => undefined, { signal, onRead: (p) => progress.read(p) });
    image.decodedBytes += blocks[i].size;
  }
}
