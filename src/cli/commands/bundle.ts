import { writeFile } from 'node:fs/promises';
import { buildBundle, parseSettings, requireDevice, timestampFromEpoch } from '../../core/index.ts';
import type { ParsedArgs } from '../flags.ts';
import type { CliIo } from '../io.ts';
import { AtomicOutput, checkOutputFolder } from '../node-io.ts';
import { readSettingsText, requireString } from './args.ts';

/** The same files `configure` writes, as a zip laid out like the boot partition (for cards already flashed). */
export async function runBundle(args: ParsedArgs<'bundle'>, io: CliIo): Promise<number> {
  const settings = parseSettings(await readSettingsText(requireString(args.values.settings, '--settings <settings.json>'), io));
  const device = requireDevice(requireString(args.values.device, '--device <slug>'));
  const output = requireString(args.values.output, '-o <bundle.zip>');
  await checkOutputFolder(output);
  const { zip, files } = buildBundle(settings, device.slug, timestampFromEpoch(io.env.SOURCE_DATE_EPOCH));
  const out = new AtomicOutput(output, { sync: args.values.sync === true });
  try {
    await out.guard(() => writeFile(out.tempPath, zip));
    await out.commit();
  } catch (e) {
    await out.discard();
    throw e;
  }
  io.stdout(`Wrote ${output}: ${files.join(', ')}\nCopy its contents onto the boot partition (resin-boot) of the flashed card.\n`);
  return 0;
}
