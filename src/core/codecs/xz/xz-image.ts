import { CoreError } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { OpenOptions, OpenedImage, WriteOptions, WriteSummary } from '../stream-codec.ts';
import { DecodedHead } from '../decoded-head.ts';
import { rejectNestedImage } from '../detect-nested.ts';
import { BlockFeed } from './block-feed.ts';
import { writeDecoded } from './write-decoded.ts';
import { writeSpliced } from './write-spliced.ts';

/** An opened .xz image: a lazily decoded head over the block feed, and the two writers. */
export class XzImage implements OpenedImage {
  readonly codec = 'xz' as const;
  readonly image: DecodedHead;
  readonly #feed: BlockFeed;
  #used = false;

  private constructor(feed: BlockFeed) {
    this.#feed = feed;
    this.image = new DecodedHead(() => feed.nextDecoded());
  }

  static async open(input: ReadableStream<Uint8Array>, options: OpenOptions = {}): Promise<XzImage> {
    const feed = new BlockFeed(input, options.signal, options.onProgress);
    const opened = new XzImage(feed);
    try {
      await feed.start();
      await rejectNestedImage(opened.image, 'This .xz file');
    } catch (e) {
      await opened.cancel(e);
      throw e;
    }
    return opened;
  }

  async writeSpliced(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary> {
    this.#claim();
    try {
      return await writeSpliced(this.#feed, this.image, changes, out, options);
    } catch (e) {
      // SPLICE_IMPOSSIBLE is raised before any input is consumed, so writeDecoded may still follow.
      if (e instanceof CoreError && e.code === 'SPLICE_IMPOSSIBLE') this.#used = false;
      throw e;
    }
  }

  writeDecoded(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary> {
    this.#claim();
    return writeDecoded(this.#feed, this.image, changes, out, options);
  }

  async cancel(reason?: unknown): Promise<void> {
    this.#feed.poison(new CoreError('ABORTED', 'The .xz image was closed.'));
    this.image.release();
    await this.#feed.cancel(reason);
  }

  /** One write per image: the input is consumed by it. */
  #claim(): void {
    if (this.#used) throw new CoreError('INTERNAL', 'The .xz input has already been consumed by a write.');
    this.#used = true;
  }
}
