import type { ByteSource } from '../io/byte-source.ts';
import type { ChangedRange } from '../io/overlay.ts';

/**
 * LEGACY (issue 7): the first pass's stream-in codec contract, kept only while the codecs move to
 * codec.ts (random-access input, recipe output). Delete this file when nothing imports it.
 *
 * One compressed (or plain) image format. Adding a format = one file implementing this + one line
 * in registry.ts. See README.md in this folder for the contract in prose.
 */
export interface Codec {
  readonly id: string;
  readonly label: string;
  /** Lower-case file-name endings, longest first, e.g. ['.img.gz', '.gz']. */
  readonly extensions: readonly string[];
  /** True when the first bytes (at least 512 are passed when available) are this format's magic. */
  sniff(head: Uint8Array): boolean;
  /** Starts reading `input`; nothing is decoded beyond what `image.read` asks for. */
  open(input: ReadableStream<Uint8Array>, options?: OpenOptions): Promise<OpenedImage>;
}

export type { CodecId, ProgressEvent, ProgressPhase } from './codec.ts';
import type { ProgressEvent } from './codec.ts';

export interface OpenOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** For archives with several candidate images: the member the user chose. */
  member?: string;
  /** Length of the compressed input when known (File.size, fs.stat): progress totals, gzip length checks. */
  inputSize?: number;
}

export interface OpenedImage {
  readonly codec: string;
  /**
   * The decoded disk image, random access. Reads decode the input lazily and keep the decoded head
   * in memory, so reading the first 50 MB costs 50 MB, not the whole image. `size` is
   * POSITIVE_INFINITY until the format says (a zip local header does; a gzip stream does not).
   */
  readonly image: ByteSource;
  /** Archive member holding the image, for zip; undefined for single-stream formats. */
  readonly member?: string;
  /**
   * Writes the input again in its own format with `changes` (decoded-image coordinates, sorted,
   * non-overlapping) spliced in: only the compressed region around the changes is re-encoded,
   * everything else is copied. Consumes the rest of the input. Throws SPLICE_IMPOSSIBLE when the
   * format cannot be spliced (single-block xz); the caller may then choose another output.
   */
  writeSpliced(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary>;
  /**
   * Writes the plain decoded image with `changes` applied. Consumes the rest of the input.
   * Both write methods CLOSE `out` when they finish and ABORT it when they fail, as pipeTo does;
   * the host commits the output file only after the promise resolves.
   */
  writeDecoded(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary>;
  /** Stops reading the input and frees what is held. */
  cancel(reason?: unknown): Promise<void>;
}

export interface WriteOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Spliced output only: also decode the copied tail, in the same pass, to check the input's
   * CRC-32 and length (slower: a full decode). Without it the splice trusts the tail it copies.
   */
  verifyInput?: boolean;
  /**
   * A lower bound for the decoded image size (e.g. the end of the last partition). gzip stores the
   * length mod 2^32 only; with this hint a splice of an image ≥ 4 GiB takes the smallest length
   * ≥ the hint that agrees with it instead of decoding the whole tail to count.
   */
  imageSizeHint?: number;
}

export interface WriteSummary {
  bytesWritten: number;
  /** Decoded image length as finally known. */
  imageSize: number;
  /** Decoded bytes that were re-encoded (0 for pure copies). */
  reencodedBytes?: number;
}

