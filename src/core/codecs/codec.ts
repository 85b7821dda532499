import type { ByteSource } from '../io/byte-source.ts';
import type { ChangedRange } from '../io/overlay.ts';
import type { OutputRecipe } from '../io/recipe.ts';
import type { InflateEngine } from './deflate/engine.ts';
import type { codecs } from './registry.ts';

/**
 * One compressed (or plain) image format. Adding a format = one folder implementing this + one
 * line in registry.ts (README.md in this folder says how, with a worked example).
 *
 * The input is random access (a File, an OPFS file, a Node file handle): a codec reads only the
 * structures it needs (a zip's central directory, an xz index, a gzip trailer) and decodes lazily.
 */
export interface Codec<Id extends string = CodecId> {
  readonly id: Id;
  readonly label: string;
  /** Lower-case file-name endings, longest first, e.g. ['.img.gz', '.gz']. */
  readonly extensions: readonly string[];
  /** True when the first bytes (at least 512 are passed when available) are this format's magic. */
  sniff(head: Uint8Array): boolean;
  /** Opens `input`; nothing is decoded beyond what `image.read` asks for. */
  open(input: ByteSource, options?: OpenOptions): Promise<OpenedImage>;
}

/** Every format's id, derived from the registry's list (one place to add a format). */
export type CodecId = (typeof codecs)[number]['id'];

export interface OpenOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /** For archives with several candidate images: the member the user chose. */
  member?: string;
  /**
   * A native raw-deflate engine from the host (gzip and zip inflate with it; deflate/engine.ts).
   * Without one the core inflates with pako.
   */
  inflate?: InflateEngine;
}

export interface OpenedImage {
  readonly codec: CodecId;
  /**
   * The decoded disk image, random access, decoded lazily: reading the first 50 MB of a gzip costs
   * 50 MB of decoding, not the whole image. `size` is POSITIVE_INFINITY until the format says.
   */
  readonly image: ByteSource;
  /** Archive member holding the image (zip); undefined for single-stream formats. */
  readonly member?: string;
  /** Decoded bytes produced so far (reads, splices): the cost the job paid. */
  readonly decodedBytes: number;
  /**
   * The input again in its own format with `changes` (image coordinates, sorted, non-overlapping)
   * applied, as a recipe: input ranges copied unchanged plus the few new bytes (re-encoded region,
   * seams, rewritten headers and trailers). Throws SPLICE_IMPOSSIBLE (with the alternatives in
   * `detail.alternatives`) when the format cannot be spliced. Absent on decode-only codecs.
   */
  splice?(changes: readonly ChangedRange[], options?: SpliceOptions): Promise<SpliceResult>;
  /**
   * Streams the plain decoded image with `changes` applied into `out`, honouring back-pressure;
   * CLOSES `out` on success and ABORTS it on failure (the host commits only after it resolves).
   */
  writeDecoded(changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, options?: WriteOptions): Promise<WriteSummary>;
  /** Frees what is held (decoded head, buffers). */
  close(): Promise<void>;
}

export interface SpliceOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Also decode the parts the recipe only copies, to check the input's CRC and length (slower: a
   * full decode). Without it the splice trusts what it copies.
   */
  verifyInput?: boolean;
  /**
   * A lower bound for the decoded image size (the end of the last partition). gzip stores the
   * length mod 2^32 only; with this hint a splice of an image ≥ 4 GiB resolves it without decoding.
   */
  imageSizeHint?: number;
}

export interface SpliceResult {
  recipe: OutputRecipe;
  /** Decoded image length as finally known. */
  imageSize: number;
  /** Decoded bytes the splice needed (planning reads included), and those it re-encoded. */
  decodedBytes: number;
  reencodedBytes: number;
}

export interface WriteOptions {
  signal?: AbortSignal;
  onProgress?: (event: ProgressEvent) => void;
}

export interface WriteSummary {
  bytesWritten: number;
  imageSize: number;
  decodedBytes: number;
}

export type ProgressPhase = 'read' | 'decode' | 'patch' | 'write' | 'verify';

export interface ProgressEvent {
  phase: ProgressPhase;
  /** Input (compressed) bytes consumed so far. */
  bytesRead: number;
  /** Output bytes written so far. */
  bytesWritten: number;
  /** Input size when known. */
  totalBytes?: number;
}
