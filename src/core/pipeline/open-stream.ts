import type { ByteSource } from '../io/byte-source.ts';
import type { Codec, OpenOptions, OpenedImage } from '../codecs/codec.ts';
import { detectCodec } from '../codecs/detect.ts';

/** Bytes passed to detection: the codecs' magic needs a few, the nested-format check 512. */
const DETECT_BYTES = 4096;

export interface OpenFileOptions {
  fileName?: string;
  member?: string;
  signal?: AbortSignal;
  onProgress?: OpenOptions['onProgress'];
  /** The format, when the host already detected it. */
  codec?: Codec;
  /** The host's raw-deflate engine (OpenOptions.inflate). */
  inflate?: OpenOptions['inflate'];
}

/** What hosts get from opening an image file: the lazily decoded image and its format. */
export interface OpenedImageFile {
  codec: Codec;
  /** The decoded disk image; `size` is POSITIVE_INFINITY until the format says. */
  image: OpenedImage['image'];
  member?: string;
  /** The codec's full handle (splice, writeDecoded, decodedBytes), for hosts that drive it themselves. */
  opened: OpenedImage;
  close(): Promise<void>;
}

/**
 * Opens a random-access image file (File, OPFS file, Node file handle): detects the format from its
 * first bytes (the name only breaks ties) and opens it lazily — a zip reads its central directory,
 * a gzip its first header; nothing is decoded before `image.read` asks.
 */
export async function openImageFile(input: ByteSource, options: OpenFileOptions = {}): Promise<OpenedImageFile> {
  const codec = options.codec ?? detectCodec(await input.read(0, Math.min(DETECT_BYTES, input.size)), options.fileName);
  const opened = await codec.open(input, { signal: options.signal, onProgress: options.onProgress, member: options.member, inflate: options.inflate });
  return { codec, image: opened.image, member: opened.member, opened, close: () => opened.close() };
}
