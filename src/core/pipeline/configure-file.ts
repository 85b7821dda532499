import type { CodecId, ProgressEvent } from '../codecs/stream-codec.ts';
import type { ByteSource } from '../io/byte-source.ts';
import { RecipeBuilder, type OutputRecipe } from '../io/recipe.ts';
import { sourceStream } from '../io/source-stream.ts';
import type { Settings } from '../settings/types.ts';
import { configureStream } from './configure-stream.ts';
import { planConfiguration, type ConfigureOptions, type ConfigurePlan } from './configure-image.ts';
import { openImageStream } from './open-stream.ts';

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
 * format, plan the edit on the lazily decoded image, and describe the output.
 *
 * INTERIM (issue 7): raw inputs produce a real recipe; compressed inputs still run the streamed
 * splice and return its bytes as one recipe segment. The codec kit replaces this with recipes
 * built by the codecs themselves; the signature stays.
 */
export async function configureFile(input: ByteSource, settings: Settings, options: ConfigureFileOptions = {}): Promise<ConfigureFileResult> {
  const output = options.output ?? 'same';
  const { codec, opened } = await openImageStream(sourceStream(input, { signal: options.signal }), {
    fileName: options.fileName,
    signal: options.signal,
    member: options.member,
    inputSize: input.size,
  });
  if (codec.id === 'raw' && output !== 'gzip') {
    await opened.cancel();
    const plan = await planConfiguration(input, settings, options);
    const recipe = rawRecipe(input.size, plan);
    return { inputFormat: 'raw', outputFormat: 'raw', plan, recipe, stats: { outputBytes: recipe.size, decodedBytes: 0, reencodedBytes: 0 } };
  }
  await opened.cancel();
  const streamed = output !== 'same';
  let collected: RecipeBuilder | undefined;
  let sink: WritableStream<Uint8Array>;
  if (streamed) {
    if (!options.openSink) throw new Error('configureFile: this output is streamed and needs openSink');
    sink = await options.openSink();
  } else {
    const builder = new RecipeBuilder();
    collected = builder;
    sink = new WritableStream({ write: (chunk) => builder.bytes(chunk.slice()) });
  }
  const result = await configureStream(sourceStream(input, { signal: options.signal }), settings, sink, {
    ...options,
    output: output === 'same' ? 'same' : output === 'raw' ? 'img' : 'gz',
    inputSize: input.size,
  });
  const recipe = collected?.finish();
  return {
    inputFormat: result.inputFormat,
    outputFormat: result.outputFormat,
    member: result.member,
    plan: result.plan,
    recipe,
    stats: { outputBytes: result.summary.bytesWritten, decodedBytes: result.summary.imageSize, reencodedBytes: result.summary.reencodedBytes ?? 0 },
  };
}

/** A raw image with its changed sectors: input ranges between the changes. */
export function rawRecipe(size: number, plan: Pick<ConfigurePlan, 'changes'>): OutputRecipe {
  const b = new RecipeBuilder();
  let pos = 0;
  for (const c of plan.changes) {
    b.copy(pos, c.offset - pos);
    b.bytes(c.bytes);
    pos = c.offset + c.bytes.length;
  }
  b.copy(pos, size - pos);
  return b.finish();
}
