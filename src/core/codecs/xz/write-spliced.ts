import { CoreError, throwIfAborted } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { DecodedHead } from '../decoded-head.ts';
import type { WriteOptions, WriteSummary } from '../stream-codec.ts';
import type { BlockBody } from './block-body.ts';
import { BlockDecoder } from './block-decoder.ts';
import type { BlockEntry, BlockFeed, TimelineItem } from './block-feed.ts';
import { ChangeSet } from './changes.ts';
import { isKnownCheck } from './check.ts';
import { patchedCheck } from './check-patch.ts';
import { type IndexRecord, checkName, encodeIndex, encodeStreamFooter } from './format.ts';
import { Output, Progress } from './output.ts';
import { storedBlock } from './stored-block.ts';

/**
 * How far past the last change we may decode to find the end of a touched block whose header
 * does not state its size (single-threaded xz). Beyond it, the block is treated as unspliceable.
 */
export const SPLICE_LOOKAHEAD = 128 << 20;

/**
 * The xz splice (tech-notes §3.8): blocks the changes touch are re-emitted as stored LZMA2 from the
 * decoded head; every other block is copied byte for byte (or, with `verifyInput`, decoded to check
 * it while it is copied); each stream gets a rebuilt index and footer. Whether the splice is
 * possible is settled before the first output byte, so on SPLICE_IMPOSSIBLE the caller can still
 * choose writeDecoded.
 */
export async function writeSpliced(
  feed: BlockFeed,
  head: DecodedHead,
  ranges: readonly ChangedRange[],
  out: WritableStream<Uint8Array>,
  options: WriteOptions = {},
): Promise<WriteSummary> {
  const output = new Output(out);
  try {
    const changes = new ChangeSet(ranges);
    await decodeTouchedBlocks(feed, head, changes);
    feed.poison(new CoreError('INTERNAL', 'The .xz image can no longer be read: its input was consumed by a write.'));
    feed.dropReady();
    const writer = new SpliceWriter(feed, head, changes, output, options);
    await writer.run();
    await output.close();
    head.release();
    return { bytesWritten: output.bytesWritten, imageSize: feed.walker.uncompressedOffset, reencodedBytes: writer.reencoded };
  } catch (e) {
    await output.abort(e);
    // SPLICE_IMPOSSIBLE comes before any output or further input: keep the head for writeDecoded.
    if (!(e instanceof CoreError && e.code === 'SPLICE_IMPOSSIBLE')) {
      head.release();
      await feed.cancel(e);
    }
    throw e;
  }
}

/** Decodes (into the head) every block a change touches, or explains why that is not possible. */
async function decodeTouchedBlocks(feed: BlockFeed, head: DecodedHead, changes: ChangeSet): Promise<void> {
  if (changes.end === 0) return;
  await head.ensure(changes.end);
  if (head.decodedLength < changes.end) {
    throw new CoreError('IO_OUT_OF_RANGE', `A change ends at byte ${changes.end}, past the end of the image (${head.decodedLength} bytes).`);
  }
  const current = feed.current?.entry.block;
  if (current && current.uncompressedStart < changes.end) {
    const size = current.header.uncompressedSize;
    const limit = size === undefined ? changes.end + SPLICE_LOOKAHEAD : current.uncompressedStart + size;
    if (limit - changes.end > SPLICE_LOOKAHEAD) throw tooLarge(current, size);
    await head.ensure(limit);
    if (feed.current?.entry.block === current) throw tooLarge(current, size);
  }
  await feed.peek();
  let touchedEnd = 0;
  for (const item of feed.timeline) {
    if (item.kind !== 'block' || !touched(item, changes)) continue;
    const { block } = item;
    touchedEnd = block.uncompressedStart + block.record.uncompressedSize;
    if (!isKnownCheck(block.checkId)) {
      throw new CoreError('SPLICE_IMPOSSIBLE', `This .xz uses ${checkName(block.checkId)}, which this program cannot compute for an edited block; save as .img or .img.gz instead.`);
    }
    if (aloneInStream(feed.timeline, block)) {
      const n = block.record.uncompressedSize;
      throw new CoreError(
        'SPLICE_IMPOSSIBLE',
        `This .xz has a single block, so it cannot be edited without re-compressing all ${n} bytes; save as .img or .img.gz instead.`,
        { block: block.number, uncompressedSize: n },
      );
    }
  }
  // A decoded block may still sit partly in the feed's queue: move it all into the head.
  await head.ensure(touchedEnd);
}

function tooLarge(block: BlockBody, size: number | undefined): CoreError {
  const what = size === undefined ? 'whose size is not recorded (written by single-threaded xz, usually as one block)' : `of ${size} bytes`;
  return new CoreError(
    'SPLICE_IMPOSSIBLE',
    `This .xz holds the changed bytes in block ${block.number}, ${what}, so it cannot be edited without re-compressing it; save as .img or .img.gz instead.`,
    { block: block.number },
  );
}

function touched(entry: BlockEntry, changes: ChangeSet): boolean {
  const size = entry.block.uncompressedSize;
  const start = entry.block.uncompressedStart;
  return entry.complete && size !== undefined && changes.touches(start, start + size);
}

/** True when the timeline shows `block` as the only block of its stream. */
function aloneInStream(timeline: readonly TimelineItem[], block: BlockBody): boolean {
  const end = timeline.find((i) => i.kind === 'stream-end' && i.stream === block.stream);
  return end !== undefined && end.kind === 'stream-end' && end.records.length === 1;
}

/** Replays the timeline (what the head consumed), then copies the rest of the input. */
class SpliceWriter {
  reencoded = 0;
  readonly #feed: BlockFeed;
  readonly #head: DecodedHead;
  readonly #changes: ChangeSet;
  readonly #out: Output;
  readonly #options: WriteOptions;
  readonly #progress: Progress;
  #records: IndexRecord[] = [];

  constructor(feed: BlockFeed, head: DecodedHead, changes: ChangeSet, out: Output, options: WriteOptions) {
    this.#feed = feed;
    this.#head = head;
    this.#changes = changes;
    this.#out = out;
    this.#options = options;
    this.#progress = new Progress(options.onProgress);
  }

  async run(): Promise<void> {
    for (const item of this.#feed.timeline) await this.#item(item);
    for (;;) {
      const item = await this.#feed.walker.next();
      if (item.kind === 'end') break;
      if (item.kind === 'block') await this.#copyLive(item.block);
      else await this.#item(item);
    }
    this.#progress.update('write', this.#feed.reader.bytesRead, this.#out.bytesWritten, true);
  }

  async #item(item: TimelineItem): Promise<void> {
    throwIfAborted(this.#options.signal);
    switch (item.kind) {
      case 'stream-header':
        this.#records = [];
        return this.#write(item.bytes);
      case 'padding':
        return this.#write(item.bytes);
      case 'stream-end': {
        const index = encodeIndex(this.#records);
        await this.#write(index);
        return this.#write(encodeStreamFooter(index.length, item.checkId));
      }
      default:
        return this.#block(item);
    }
  }

  async #block(entry: BlockEntry): Promise<void> {
    const { block } = entry;
    if (touched(entry, this.#changes)) return this.#restore(block);
    const current = this.#feed.current;
    if (entry.complete && entry.raw) {
      for (const bytes of entry.raw) await this.#write(bytes);
      entry.raw = null;
      this.#records.push(block.record);
    } else if (current?.entry === entry) {
      // Half decoded by the head: send what was kept, then finish decoding while copying.
      const raw = entry.raw ?? [];
      for (let i = 0; i < raw.length; i++) await this.#write(raw[i]);
      entry.raw = null;
      entry.rawSink = (bytes) => this.#write(bytes);
      while (await current.decoder.next()) throwIfAborted(this.#options.signal);
      this.#feed.current = null;
      this.#records.push(block.record);
    } else {
      await this.#copyLive(block);
    }
  }

  /** A touched block: its patched bytes from the head, as stored LZMA2. */
  async #restore(block: BlockBody): Promise<void> {
    const start = block.uncompressedStart;
    const size = block.record.uncompressedSize;
    const read = async (offset: number, length: number) => this.#changes.apply(await this.#head.read(start + offset, length), start + offset);
    const check = await patchedCheck(block.checkId, block.check, this.#head, start, size, this.#changes);
    const pieces = storedBlock(size, block.checkId, block.header.dictionaryByte, read, check);
    for (;;) {
      const r = await pieces.next();
      if (r.done) {
        this.#records.push(r.value);
        break;
      }
      await this.#write(r.value);
    }
    this.reencoded += size;
  }

  /** A block not yet read: copied as it streams by (and decoded to verify it, if asked). */
  async #copyLive(block: BlockBody): Promise<void> {
    if (this.#options.verifyInput) {
      const decoder = new BlockDecoder(block, (piece) => this.#write(piece.bytes));
      while (await decoder.next()) throwIfAborted(this.#options.signal);
    } else {
      for (let piece = await block.next(); piece; piece = await block.next()) {
        throwIfAborted(this.#options.signal);
        await this.#write(piece.bytes);
      }
    }
    this.#records.push(block.record);
  }

  async #write(bytes: Uint8Array): Promise<void> {
    await this.#out.write(bytes);
    this.#progress.update('write', this.#feed.reader.bytesRead, this.#out.bytesWritten);
  }
}
