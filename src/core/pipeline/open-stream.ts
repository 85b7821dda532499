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
