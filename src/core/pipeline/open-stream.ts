import type { ByteSource } from '../io/byte-source.ts';
import { sourceStream } from '../io/source-stream.ts';
import type { Codec, OpenOptions, OpenedImage } from '../codecs/stream-codec.ts';
import { detectCodec } from '../codecs/detect.ts';
import { peekStream } from '../io/peek-stream.ts';

export interface OpenStreamOptions extends OpenOptions {
  /** Input file name: a tie-break for format detection. */
  fileName?: string;
  /** The format, when the host already detected it (the CLI reads the file's head itself). */
  codec?: Codec;
}

/** Detects an image stream's format from its first bytes (unless told) and opens it lazily. */
export async function openImageStream(input: ReadableStream<Uint8Array>, options: OpenStreamOptions = {}): Promise<{ codec: Codec; opened: OpenedImage }> {
  let codec = options.codec;
  let stream = input;
  if (!codec) {
    const peeked = await peekStream(input, 4096);
    codec = detectCodec(peeked.head, options.fileName);
    stream = peeked.stream;
  }
  const opened = await codec.open(stream, { signal: options.signal, onProgress: options.onProgress, member: options.member, inputSize: options.inputSize });
  return { codec, opened };
}

export interface OpenFileOptions {
  fileName?: string;
  member?: string;
  signal?: AbortSignal;
  onProgress?: OpenOptions['onProgress'];
}

/** What hosts get from opening an image file: the lazily decoded image and its format. */
export interface OpenedImageFile {
  codec: Codec;
  /** The decoded disk image; `size` is POSITIVE_INFINITY until the format says. */
  image: OpenedImage['image'];
  member?: string;
  close(): Promise<void>;
}

/**
 * Opens a random-access image file (File, OPFS file, Node file handle) for reading, e.g. for
 * inspect. INTERIM (issue 7): reads through the stream codecs; the codec kit replaces the body.
 */
export async function openImageFile(input: ByteSource, options: OpenFileOptions = {}): Promise<OpenedImageFile> {
  const { codec, opened } = await openImageStream(sourceStream(input, { signal: options.signal }), { ...options, inputSize: input.size });
  return { codec, image: opened.image, member: opened.member, close: () => opened.cancel() };
}
