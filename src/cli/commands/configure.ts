import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { requireDevice } from '../../core/catalogue/catalogue.ts';
import { CoreError, throwIfAborted } from '../../core/errors.ts';
import { planConfiguration, type ConfigurePlan } from '../../core/pipeline/configure-image.ts';
import { configureStream, type OutputFormat } from '../../core/pipeline/configure-stream.ts';
import { timestampFromEpoch } from '../../core/pipeline/timestamp.ts';
import { parseSettings } from '../../core/settings/validate.ts';
import type { Settings } from '../../core/settings/types.ts';
import { AtomicOutput, NodeFile, checkOutputFolder } from '../node-io.ts';
import type { CliIo } from '../io.ts';
import type { ParsedArgs } from '../main.ts';
import { UsageError } from '../errors.ts';
import { readSettingsText, requireOne, requireString } from './args.ts';
import { detectFileCodec, fileStream } from './open-image.ts';

export async function runConfigure(args: ParsedArgs, io: CliIo): Promise<number> {
  const input = requireOne(args.positionals, '<image>');
  const settingsPath = requireString(args.values.settings, '--settings <settings.json>');
  const inPlace = args.values['in-place'] === true;
  const output = typeof args.values.output === 'string' ? args.values.output : undefined;
  if (inPlace === (output !== undefined)) throw new UsageError('give exactly one of -o <out> and --in-place');
  if (output && resolve(output) === resolve(input)) throw new UsageError('-o names the input file; use --in-place to edit it in place');
  const format = parseFormat(args.values.format);
  if (output) await checkOutputFolder(output);

  const settings = parseSettings(await readSettingsText(settingsPath, io));
  const device = typeof args.values.device === 'string' ? requireDevice(args.values.device) : undefined;
  const options = { timestamp: timestampFromEpoch(io.env.SOURCE_DATE_EPOCH), deviceSlug: device?.slug };
  const codec = await detectFileCodec(input);

  let plan: ConfigurePlan;
  let described: string;
  if (inPlace) {
    if (codec.id !== 'raw') {
      throw new CoreError('ARCHIVE_UNSUPPORTED', `--in-place edits uncompressed images only, and ${input} is ${codec.label}; write a new file with -o instead.`);
    }
    plan = await configureInPlace(input, settings, options);
    described = `${input} (in place)`;
  } else if (codec.id === 'raw' && (format ?? formatFromName(output!, codec.id)) !== 'gz') {
    plan = await configureCopy(input, output!, settings, { ...options, signal: io.signal });
    described = output!;
  } else {
    const out = new AtomicOutput(output!);
    try {
      const result = await configureStream(fileStream(input), settings, out.writable(), {
        ...options,
        signal: io.signal,
        onProgress: io.progress?.update,
        fileName: input,
        codec,
        inputSize: (await stat(input)).size,
        member: typeof args.values.member === 'string' ? args.values.member : undefined,
        output: format ?? formatFromName(output!, codec.id),
        verifyInput: args.values['verify-input'] === true,
      });
      io.progress?.done();
      await out.commit();
      plan = result.plan;
      described = `${output} (${result.outputFormat}${result.member ? `, member ${result.member}` : ''})`;
    } catch (e) {
      io.progress?.done();
      await out.discard();
      throw e;
    }
  }
  for (const w of plan.warnings) io.stderr(`warning: ${w}\n`);
  if (!args.values.quiet) io.stdout(summarise(plan, described));
  return 0;
}

type PlanOptions = Parameters<typeof planConfiguration>[2];

/** Only the changed sectors are written; the file is synced before returning. */
async function configureInPlace(path: string, settings: Settings, options: PlanOptions): Promise<ConfigurePlan> {
  const file = await NodeFile.open(path, 'r+');
  try {
    const plan = await planConfiguration(file, settings, options);
    for (const change of plan.changes) await file.write(change.offset, change.bytes);
    await file.sync();
    return plan;
  } finally {
    await file.close();
  }
}

/** Plans on the read-only input, then copies it beside the output, patches the copy and renames. */
async function configureCopy(input: string, output: string, settings: Settings, options: PlanOptions): Promise<ConfigurePlan> {
  const source = await NodeFile.open(input);
  let plan: ConfigurePlan;
  try {
    plan = await planConfiguration(source, settings, options);
  } finally {
    await source.close();
  }
  const out = new AtomicOutput(output);
  try {
    await out.copyFrom(input);
    throwIfAborted(options?.signal);
    const target = await NodeFile.open(out.tempPath, 'r+');
    try {
      for (const change of plan.changes) await target.write(change.offset, change.bytes);
      await target.sync();
    } finally {
      await target.close();
    }
    await out.commit();
    return plan;
  } catch (e) {
    await out.discard();
    throw e;
  }
}

function parseFormat(value: string | boolean | undefined): OutputFormat | undefined {
  if (value === undefined) return undefined;
  if (value === 'same' || value === 'img' || value === 'gz') return value;
  throw new UsageError(`--format must be same, img or gz, not '${String(value)}'`);
}

/** An output name that says .gz or .img picks that format; otherwise the input's own format. */
function formatFromName(output: string, inputCodec: string): OutputFormat {
  const name = output.toLowerCase();
  if (name.endsWith('.gz')) return inputCodec === 'gzip' ? 'same' : 'gz';
  if (name.endsWith('.img') || name.endsWith('.raw') || name.endsWith('.hddimg')) return 'img';
  return 'same';
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
