/**
 * `configure --in-place`: plans on the image itself and writes only the changed sectors. Imports
 * no codec (a raw image needs none; a compressed one is recognised by its magic bytes and refused),
 * and uses synchronous file calls (NodeFileSync): a few dozen small reads and a few sector writes.
 */
import { CoreError, magicOf, planConfiguration, type ConfigureOptions, type ConfigurePlan, type Settings } from '../../core/index.ts';
import { NodeFileSync } from '../node-io.ts';

export async function configureInPlace(path: string, settings: Settings, options: ConfigureOptions): Promise<ConfigurePlan> {
  const file = NodeFileSync.open(path, 'r+');
  try {
    const magic = magicOf(await file.read(0, Math.min(16, file.size)));
    if (magic && magic.name !== 'lzma') {
      throw new CoreError('ARCHIVE_UNSUPPORTED', `--in-place edits uncompressed images only, and ${path} is ${magic.name}; write a new file with -o instead.`);
    }
    const plan = await planConfiguration(file, settings, options);
    for (const change of plan.changes) await file.write(change.offset, change.bytes);
    await file.sync();
    return plan;
  } finally {
    await file.close();
  }
}
