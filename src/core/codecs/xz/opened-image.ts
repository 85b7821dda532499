import { CoreError } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { OpenOptions, OpenedImage, SpliceOptions, SpliceResult, WriteOptions, WriteSummary } from '../codec.ts';
import { magicOf } from '../detect-magic.ts';
import { XzDecodedImage } from './decoded-image.ts';
import { readLayout } from './layout.ts';
import { spliceXz } from './splice.ts';
import { writeDecoded } from './write-decoded.ts';

/** An opened .xz image: the container read from its end, the image decoded block by block on demand. */
export class XzOpenedImage implements OpenedImage {
  readonly codec = 'xz' as const;
  readonly image: XzDecodedImage;
  readonly #input: ByteSource;

  private constructor(input: ByteSource, image: XzDecodedImage) {
    this.#input = input;
    this.image = image;
  }

  static async open(input: ByteSource, options: OpenOptions = {}): Promise<XzOpenedImage> {
    const layout = await readLayout(input, options.signal);
    const opened = new XzOpenedImage(input, new XzDecodedImage(input, layout, options));
    await opened.#rejectNested();
    return opened;
  }

  get decodedBytes(): number {
    return this.image.decodedBytes;
  }

  splice(changes: readonly ChangedRange[], options?: SpliceOptions): Promise<SpliceResult> {
    return spliceXz(this.#input, this.image, changes, options);
  }

  writeDecoded(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary> {
    return writeDecoded(this.#input, this.image, changes, out, options);
  }

  async close(): Promise<void> {
    this.image.release();
  }

  /**
   * An .xz whose content is itself compressed (an .img.gz inside) is not a disk image.
   * TODO(issue 7): the kit's rejectNestedImage over a ByteSource, once it takes one.
   */
  async #rejectNested(): Promise<void> {
    const n = Math.min(16, this.image.size);
    const magic = magicOf(await this.image.read(0, n));
    if (magic && magic.name !== 'lzma') {
      throw new CoreError('ARCHIVE_UNSUPPORTED', `This .xz file holds ${magic.name}-compressed data, not a disk image (nested compression); decompress it first.`, {
        reason: 'nested',
        inner: magic.name,
      });
    }
  }
}
