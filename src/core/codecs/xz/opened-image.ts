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

  // Arrow properties: hosts may call them detached (`const { splice } = opened`).
  readonly splice = (changes: readonly ChangedRange[], options: SpliceOptions = {}): Promise<SpliceResult> =>
    guard(spliceXz(this.#ci, this.image, changes, options));

  readonly writeDecoded = (changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options: WriteOptions = {}): Promise<WriteSummary> =>
    writeDecoded(this.#ci, this.image, changes, out, options);

  readonly close = async (): Promise<void> => {
    this.image.release();
  };
}
