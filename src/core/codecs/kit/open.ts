import type { ByteSource } from '../../io/byte-source.ts';
import { CoreError } from '../../errors.ts';
import type { OpenOptions, ProgressEvent } from '../codec.ts';
import { magicOf } from '../detect-magic.ts';
import { asCoreError } from './errors.ts';
import { Progress } from './progress.ts';
import { SourceReader } from './reader.ts';

/**
 * What a codec holds between open and close: the input and the caller's open options. Every
 * operation (the lazy head, a splice, a decode pass) takes its own reader and progress from here,
 * so operations are independent and repeatable: the input is a file, not a stream to consume.
 */
export class CodecInput {
  readonly input: ByteSource;
  readonly options: OpenOptions;

  constructor(input: ByteSource, options: OpenOptions = {}) {
    this.input = input;
    this.options = options;
  }

  get size(): number {
    return this.input.size;
  }

  /** A progress counter for one operation (its own callback, else the open's). */
  progress(onProgress?: (e: ProgressEvent) => void): Progress {
    return new Progress(this.input.size, onProgress ?? this.options.onProgress);
  }

  /** A sequential reader over [start, end) of the input. */
  reader(start = 0, end = this.input.size, progress?: Progress, signal = this.options.signal): SourceReader {
    return new SourceReader(this.input, { start, end, progress, signal });
  }
}

/**
 * The open sequence every codec follows: wrap the input, run the codec's own parsing, and let
 * nothing but a CoreError out (a bug becomes INTERNAL, never a bare stack trace).
 */
export async function openWith<T>(input: ByteSource, options: OpenOptions | undefined, body: (ci: CodecInput) => Promise<T>): Promise<T> {
  try {
    return await body(new CodecInput(input, options));
  } catch (e) {
    throw asCoreError(e);
  }
}

/**
 * Rejects a decoded "image" that is itself compressed (an .img.gz inside a zip, a .gz of a .xz):
 * it would otherwise be configured as if it were a disk.
 */
export async function rejectNestedImage(image: ByteSource, what: string): Promise<void> {
  const n = Math.min(16, image.size);
  if (n <= 0) return;
  // An image shorter than 16 bytes is no disk either, but that is for the partition reader to say.
  const head = await image.read(0, n).catch((e: unknown) => {
    if (e instanceof CoreError && e.code === 'IO_TRUNCATED') return new Uint8Array(0);
    throw e;
  });
  const magic = magicOf(head);
  if (magic && magic.name !== 'lzma') {
    throw new CoreError('ARCHIVE_UNSUPPORTED', `${what} holds ${magic.name}-compressed data, not a disk image (nested compression); decompress it first.`, {
      reason: 'nested',
      inner: magic.name,
    });
  }
}
