import { gzipStream } from '../codecs/stream-gzip.ts';
import type { CodecId, WriteSummary } from '../codecs/stream-codec.ts';
import { throwIfAborted } from '../errors.ts';
import type { Settings } from '../settings/types.ts';
import { guardOutput } from './guard-output.ts';
import { planConfiguration, type ConfigureOptions, type ConfigurePlan } from './configure-image.ts';
import { openImageStream, type OpenStreamOptions } from './open-stream.ts';

/** 'same' keeps the input's format (spliced); 'img' writes the plain image; 'gz' writes gzip. */
export type OutputFormat = 'same' | 'img' | 'gz';

export interface StreamConfigureOptions extends ConfigureOptions, OpenStreamOptions {
  output?: OutputFormat;
  /** Decode and check the whole input, including parts that are only copied (slower). */
  verifyInput?: boolean;
}

export interface StreamConfigureResult {
  inputFormat: CodecId;
  outputFormat: CodecId;
  member?: string;
  plan: ConfigurePlan;
  summary: WriteSummary;
}

/**
 * The whole job over streams: sniff the format, decode lazily just far enough to plan the edit,
 * then write the output (spliced in the same format, or plain, or gzip) while the rest of the
 * input streams through. The caller commits `out` only when this resolves (no partial output).
 */
export async function configureStream(
  input: ReadableStream<Uint8Array>,
  settings: Settings,
  hostOut: WritableStream<Uint8Array>,
  options: StreamConfigureOptions = {},
): Promise<StreamConfigureResult> {
  const out = guardOutput(hostOut);
  const { codec, opened } = await openImageStream(input, options);
  try {
    const plan = await planConfiguration(opened.image, settings, { ...options, deferLogicalPartitions: true });
    throwIfAborted(options.signal);
    const writeOptions = {
      signal: options.signal,
      onProgress: options.onProgress,
      verifyInput: options.verifyInput,
      imageSizeHint: imageEndHint(plan),
    };
    const output = options.output ?? 'same';
    let summary: WriteSummary;
    let outputFormat: CodecId;
    if (output === 'same') {
      summary = await opened.writeSpliced(plan.changes, out, writeOptions);
      outputFormat = codec.id;
    } else if (output === 'img') {
      summary = await opened.writeDecoded(plan.changes, out, writeOptions);
      outputFormat = 'raw';
    } else {
      const gzip = gzipStream();
      const piping = gzip.readable.pipeTo(out);
      // A failure on either side reaches the other (pipeTo aborts `out`; writes into a broken pipe
      // fail), so writeDecoded reports it; the pipe's own rejection must not go unhandled meanwhile.
      piping.catch(() => undefined);
      summary = await opened.writeDecoded(plan.changes, gzip.writable, writeOptions);
      await piping;
      outputFormat = 'gzip';
    }
    return { inputFormat: codec.id, outputFormat, member: opened.member, plan, summary };
  } catch (e) {
    await opened.cancel(e).catch(() => undefined);
    throw e;
  }
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
