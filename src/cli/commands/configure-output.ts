/**
 * `configure -o`: every input through configureFile over the input file. A recipe (raw image with
 * changed sectors, or a splice) is realised by the target; a streamed output (a compressed image
 * written plain, anything written as gzip) goes to the target's sink with back-pressure.
 */
import { CoreError, codecs, configureFile, detectCodec, type ConfigureOptions, type ConfigurePlan, type ProgressEvent, type Settings } from '../../core/index.ts';
import type { CliIo } from '../io.ts';
import { cliInflate } from '../node-inflate.ts';
import { NodeFile } from '../node-io.ts';
import { decideOutput, type FormatFlag } from '../output-format.ts';
import { openTarget } from '../output-target.ts';

export interface OutputOptions extends ConfigureOptions {
  format?: FormatFlag;
  member?: string;
  verifyInput?: boolean;
  /** fsync the output before reporting success (`--sync`). */
  sync?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export async function configureToOutput(inputPath: string, output: string, settings: Settings, options: OutputOptions, io: CliIo): Promise<{ plan: ConfigurePlan; described: string }> {
  const input = await NodeFile.open(inputPath);
  try {
    const codec = detectCodec(await input.read(0, Math.min(4096, input.size)), inputPath);
    const decision = decideOutput(codec.id, output === '-' ? undefined : output, options.format, codecs);
    const target = await openTarget(output, io, { sync: options.sync });
    try {
      const result = await configureFile(input, settings, {
        ...options,
        fileName: inputPath,
        output: decision.choice,
        openSink: () => target.sink(),
        inflate: cliInflate(io.env),
      });
      if (result.outputFormat !== decision.writes) throw new CoreError('INTERNAL', `configureFile wrote ${result.outputFormat} where ${decision.writes} was asked for.`);
      if (result.recipe) await target.write(result.recipe, input, { signal: options.signal, onProgress: options.onProgress });
      io.progress?.done();
      await target.commit();
      const notes = [result.outputFormat === 'raw' ? '' : result.outputFormat, result.member ? `member ${result.member}` : ''].filter(Boolean);
      return { plan: result.plan, described: `${target.name}${notes.length ? ` (${notes.join(', ')})` : ''}` };
    } catch (e) {
      io.progress?.done();
      await target.discard();
      throw target.failure ?? e;
    }
  } finally {
    await input.close();
  }
}
