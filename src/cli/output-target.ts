/**
 * Where `configure -o` writes: a file (atomic: a temporary file beside it, renamed on success) or
 * standard output (`-o -`). Both take a streamed output (`sink()`, handed to configureFile as
 * `openSink`) or a recipe; both name themselves in OUTPUT_FAILED.
 */
import { writeRecipe, type CoreError, type OutputRecipe, type ProgressEvent } from '../core/index.ts';
import { UsageError } from './errors.ts';
import type { CliIo } from './io.ts';
import { AtomicOutput, checkOutputFolder, type NodeFile } from './node-io.ts';
import { COPY_CHUNK, writeRecipeFile } from './write-recipe-file.ts';

export interface OutputTarget {
  /** How messages name it: the file name, or "standard output". */
  readonly name: string;
  sink(): WritableStream<Uint8Array>;
  write(recipe: OutputRecipe, input: NodeFile, options: { signal?: AbortSignal; onProgress?: (e: ProgressEvent) => void }): Promise<void>;
  commit(): Promise<void>;
  discard(): Promise<void>;
  /** The first failure to write the output, if any (it wins over what a codec made of it). */
  readonly failure?: CoreError;
}

export async function openTarget(output: string, io: CliIo, options: { sync?: boolean } = {}): Promise<OutputTarget> {
  if (output === '-') {
    if (!io.stdoutBytes) throw new UsageError('-o - needs a standard output for bytes');
    if (io.stdoutIsTerminal) throw new UsageError('-o - would write a disk image to the terminal; redirect it to a file or a pipe');
    return stdoutTarget(io.stdoutBytes);
  }
  await checkOutputFolder(output);
  return fileTarget(new AtomicOutput(output, options));
}

function fileTarget(out: AtomicOutput): OutputTarget {
  return {
    name: out.path,
    get failure() {
      return out.failure;
    },
    sink: () => out.writable(),
    write: (recipe, input, options) => writeRecipeFile(recipe, input, out, options),
    commit: () => out.commit(),
    discard: () => out.discard(),
  };
}

/** Standard output cannot be taken back: on failure the reader sees a short stream and the exit code. */
function stdoutTarget(open: () => WritableStream<Uint8Array>): OutputTarget {
  let failure: CoreError | undefined;
  const sink = () => {
    const stream = open();
    const writer = stream.getWriter();
    // Record the sink's own failure (OUTPUT_FAILED) whatever the codec then reports.
    const record = (e: unknown) => {
      if ((e as CoreError)?.code === 'OUTPUT_FAILED') failure ??= e as CoreError;
      throw e;
    };
    return new WritableStream<Uint8Array>(
      {
        write: (chunk) => writer.write(chunk).catch(record),
        close: () => writer.close().catch(record),
        abort: (reason) => writer.abort(reason),
      },
      // One chunk at a time: the inner stream queues (8 MiB) and applies the back-pressure.
      new CountQueuingStrategy({ highWaterMark: 1 }),
    );
  };
  return {
    name: 'standard output',
    get failure() {
      return failure;
    },
    sink,
    write: (recipe, input, options) =>
      writeRecipe(recipe, input, sink(), {
        signal: options.signal,
        chunkSize: COPY_CHUNK,
        onProgress: (written, total) => options.onProgress?.({ phase: 'write', bytesRead: written, bytesWritten: written, totalBytes: total }),
      }),
    commit: async () => undefined,
    discard: async () => undefined,
  };
}
