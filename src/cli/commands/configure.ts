/**
 * `preflash configure`: checks the command line and reads the settings, then loads only the path
 * it takes — in place (a raw image's changed sectors: no codec is loaded) or to an output.
 */
import { resolve } from 'node:path';
import { parseSettings, timestampFromEpoch, type ConfigurePlan, type CoreWarning } from '../../core/index.ts';
import { UsageError } from '../errors.ts';
import type { ParsedArgs } from '../flags.ts';
import type { CliIo } from '../io.ts';
import { parseFormatFlag } from '../output-format.ts';
import { readSettingsText, requireOne, requireString } from './args.ts';

export async function runConfigure(args: ParsedArgs<'configure'>, io: CliIo): Promise<number> {
  const { values } = args;
  const input = requireOne(args.positionals, '<image>');
  const settingsPath = requireString(values.settings, '--settings <settings.json>');
  const inPlace = values['in-place'] === true;
  const output = values.output;
  if (inPlace === (output !== undefined)) throw new UsageError('give exactly one of -o <out> and --in-place');
  if (output !== undefined && output !== '-' && resolve(output) === resolve(input)) throw new UsageError('-o names the input file; use --in-place to edit it in place');
  if (inPlace && (values.format !== undefined || values.member !== undefined)) throw new UsageError('--format and --member apply to -o, not --in-place');
  if (inPlace && values.sync) throw new UsageError('--sync applies to -o (--in-place always flushes the sectors it changed)');
  const format = parseFormatFlag(values.format);

  const settings = parseSettings(await readSettingsText(settingsPath, io));
  // The catalogue is loaded only for --device (a split chunk): a plain run never evaluates it.
  const device = values.device === undefined ? undefined : (await import('./device-arg.ts')).requireDevice(values.device);
  const options = { timestamp: timestampFromEpoch(io.env.SOURCE_DATE_EPOCH), deviceSlug: device?.slug, signal: io.signal };

  if (inPlace) {
    const { configureInPlace } = await import('./configure-in-place.ts');
    const plan = await configureInPlace(input, settings, options);
    return report(plan, `${input} (in place)`, io, values.quiet === true, false);
  }
  const { configureToOutput } = await import('./configure-output.ts');
  const done = await configureToOutput(input, output!, settings, {
    ...options,
    format,
    member: values.member,
    verifyInput: values['verify-input'] === true,
    sync: values.sync === true,
    onProgress: io.progress?.update,
  }, io);
  return report(done.plan, done.described, io, values.quiet === true, output === '-');
}

/** Warnings on stderr; the summary on stdout, or on stderr when stdout carries the image. */
function report(plan: ConfigurePlan, described: string, io: CliIo, quiet: boolean, stdoutIsImage: boolean): number {
  for (const w of plan.warnings as readonly (string | CoreWarning)[]) io.stderr(`warning: ${typeof w === 'string' ? w : w.message}\n`);
  if (!quiet) (stdoutIsImage ? io.stderr : io.stdout)(summarise(plan, described));
  return 0;
}

function summarise(plan: ConfigurePlan, output: string): string {
  const changed = plan.changes.reduce((n, c) => n + c.bytes.length, 0);
  const where = plan.choice.partition ? `partition ${plan.choice.partition.index}` : 'the whole-disk filesystem';
  return [
    `Configured ${output}`,
    `  boot filesystem: ${where}, FAT${plan.fatType} (${plan.choice.reason})`,
    `  files written:   ${plan.files.map((f) => f.path).join(', ')}`,
    `  bytes changed:   ${changed} in ${plan.changes.length} range(s)`,
    '',
  ].join('\n');
}
