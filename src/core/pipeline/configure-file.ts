import type { CodecId, OpenedImage, ProgressEvent, SpliceOptions } from '../codecs/codec.ts';
import { gzipStream } from '../codecs/stream-gzip.ts';
import { CoreError, isCoreError, throwIfAborted } from '../errors.ts';
import type { ByteSource } from '../io/byte-source.ts';
import type { OutputRecipe } from '../io/recipe.ts';
import type { Settings } from '../settings/types.ts';
import { guardOutput } from './guard-output.ts';
import { planConfiguration, type ConfigureOptions, type ConfigurePlan } from './configure-image.ts';
import { openImageFile, type OpenFileOptions } from './open-stream.ts';

/**
 * What to write: the input's own format ('same': spliced, or the changed sectors of a raw image),
 * the plain image ('raw'), or gzip ('gzip'). Results name formats with the same CodecIds.
 */
export type OutputChoice = 'same' | 'raw' | 'gzip';

export interface ConfigureFileOptions extends ConfigureOptions {
  /** Input file name: a tie-break for format detection, and the base of the suggested output name. */
  fileName?: string;
  /** For archives with several disk images: the member the user chose. */
  member?: string;
  output?: OutputChoice;
  /** Decode and check the whole input, including the parts a splice only copies (slower). */
  verifyInput?: boolean;
  onProgress?: (event: ProgressEvent) => void;
  /**
   * Where a streamed output goes. Called only when the output cannot be a recipe (a compressed
   * input written as 'raw', or anything recompressed as 'gzip'); closed on success, aborted on
   * failure. Without it such outputs are refused.
   */
  openSink?: () => WritableStream<Uint8Array> | Promise<WritableStream<Uint8Array>>;
  /** The host's raw-deflate engine for gzip and zip inputs (OpenOptions.inflate); pako without one. */
  inflate?: OpenFileOptions['inflate'];
}

export interface ConfigureFileResult {
  inputFormat: CodecId;
  outputFormat: CodecId;
  member?: string;
  plan: ConfigurePlan;
  /** The output as input slices and new bytes; undefined when it was streamed to `openSink`. */
  recipe?: OutputRecipe;
  stats: {
    /** Output length in bytes. */
    outputBytes: number;
    /** Decoded image bytes the job had to produce (planning + splice), and those it re-encoded. */
    decodedBytes: number;
    reencodedBytes: number;
  };
}

/**
 * The whole job on a random-access input (a File, an OPFS file, a Node file handle): detect the
 * format, plan the edit on the lazily decoded image, and describe the output — a recipe of input
 * ranges and new bytes when the output keeps the input's format (a splice, or a raw image's changed
 * sectors), else a stream into `openSink` (the plain image of a compressed input, or gzip).
 */
export async function configureFile(input: ByteSource, settings: Settings, options: ConfigureFileOptions = {}): Promise<ConfigureFileResult> {
  const output = options.output ?? 'same';
  const file = await openImageFile(input, { fileName: options.fileName, member: options.member, signal: options.signal, onProgress: options.onProgress, inflate: options.inflate });
  const { codec, opened } = file;
  try {
    const plan = await planConfiguration(opened.image, settings, { ...options, deferLogicalPartitions: codec.id !== 'raw' });
    throwIfAborted(options.signal);
    const base = { inputFormat: codec.id, member: opened.member, plan };
    const spliceOptions: SpliceOptions = { signal: options.signal, onProgress: options.onProgress, verifyInput: options.verifyInput, imageSizeHint: imageEndHint(plan) };
    if (output === 'same' || (output === 'raw' && codec.id === 'raw')) {
      const splice = opened.splice;
      if (!splice) throw noSplice(codec.label);
      const r = await splice(plan.changes, spliceOptions);
      return { ...base, outputFormat: codec.id, recipe: r.recipe, stats: { outputBytes: r.recipe.size, decodedBytes: opened.decodedBytes, reencodedBytes: r.reencodedBytes } };
    }
    if (!options.openSink) throw new CoreError('INTERNAL', `configureFile: the ${output} output is streamed and needs openSink.`);
    const sink = guardOutput(await options.openSink());
    const outputBytes = output === 'raw' ? (await opened.writeDecoded(plan.changes, sink, spliceOptions)).bytesWritten : await writeGzip(opened, plan, sink, spliceOptions);
    return { ...base, outputFormat: output === 'raw' ? 'raw' : 'gzip', stats: { outputBytes, decodedBytes: opened.decodedBytes, reencodedBytes: 0 } };
  } finally {
    await file.close();
  }
}

/**
 * The decoded image gzip-compressed into `sink` (pako level 1, real back-pressure: stream-gzip.ts).
 * A failure on either side reaches the other — pipeTo aborts `sink` when the encoder's input is
 * aborted, and a failing sink errors the encoder so writeDecoded reports OUTPUT_FAILED.
 */
async function writeGzip(opened: OpenedImage, plan: ConfigurePlan, sink: WritableStream<Uint8Array>, options: SpliceOptions): Promise<number> {
  const gzip = gzipStream();
  let written = 0;
  const count = new TransformStream<Uint8Array, Uint8Array>({
    transform: (chunk, c) => {
      written += chunk.length;
      c.enqueue(chunk);
    },
  });
  const piping = gzip.readable.pipeThrough(count).pipeTo(sink);
  // The pipe's own rejection is reported below; it must not go unhandled meanwhile.
  piping.catch(() => undefined);
  try {
    await opened.writeDecoded(plan.changes, gzip.writable, options);
  } catch (e) {
    // When the sink failed, the encoder's side may only say it was torn down: name the sink's error.
    const pipeError = await piping.then(
      () => undefined,
      (p: unknown) => p,
    );
    if (isCoreError(e) && e.code === 'OUTPUT_FAILED' && isCoreError(pipeError) && pipeError.code === 'OUTPUT_FAILED') throw pipeError;
    throw e;
  }
  await piping;
  return written;
}

function noSplice(label: string): CoreError {
  return new CoreError('SPLICE_IMPOSSIBLE', `A ${label} file cannot be written back in its own format; choose a plain image or gzip output.`, {
    alternatives: ['raw', 'gzip'],
  });
}

/**
 * Where the image should end, from its partition table: the end of the last partition (plus the
 * backup GPT for GPT disks). gzip states the length only modulo 2^32; this hint lets the codec
 * pick the right value without decoding the tail.
 */
function imageEndHint(plan: ConfigurePlan): number {
  const ends = [...plan.table.partitions, ...(plan.table.extended ?? [])].map((p) => p.start + p.size);
  const lastEnd = Math.max(plan.choice.start + plan.choice.size, ...ends);
  return plan.table.kind === 'gpt' ? lastEnd + 33 * plan.table.sectorSize : lastEnd;
}

export { rawRecipe } from '../codecs/raw/codec.ts';
