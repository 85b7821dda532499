import type { ChangedRange } from '../../io/overlay.ts';
import type { OpenedImage, SpliceOptions, SpliceResult, WriteOptions, WriteSummary } from '../codec.ts';
import { guard } from '../kit/errors.ts';
import { type CodecInput, rejectNestedImage } from '../kit/open.ts';
import { XzDecodedImage } from './decoded-image.ts';
import { readLayout } from './layout.ts';
import { spliceXz } from './splice.ts';
import { writeDecoded } from './write-decoded.ts';

/** An opened .xz image: the container read from its end, the image decoded block by block on demand. */
export class XzOpenedImage implements OpenedImage {
  readonly codec = 'xz' as const;
  readonly image: XzDecodedImage;
  readonly #ci: CodecInput;

  private constructor(ci: CodecInput, image: XzDecodedImage) {
    this.#ci = ci;
    this.image = image;
  }

  static async open(ci: CodecInput): Promise<XzOpenedImage> {
    const layout = await readLayout(ci.input, ci.options.signal);
    const opened = new XzOpenedImage(ci, new XzDecodedImage(ci.input, layout, ci.progress(), ci.options.signal));
    await rejectNestedImage(opened.image, 'This .xz file');
    return opened;
  }

  get decodedBytes(): number {
    return this.image.decodedBytes;
  }

  splice(changes: readonly ChangedRange[], options: SpliceOptions = {}): Promise<SpliceResult> {
    return guard(spliceXz(this.#ci, this.image, changes, options));
  }

  writeDecoded(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options: WriteOptions = {}): Promise<WriteSummary> {
    return writeDecoded(this.#ci, this.image, changes, out, options);
  }

  async close(): Promise<void> {
    this.image.release();
  }
}
