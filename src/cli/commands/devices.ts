import { deviceSummary, listDevices } from '../../core/index.ts';
import type { ParsedArgs } from '../flags.ts';
import type { CliIo } from '../io.ts';

export async function runDevices(args: ParsedArgs<'devices'>, io: CliIo): Promise<number> {
  const devices = listDevices().map(deviceSummary);
  if (args.values.json) {
    io.stdout(JSON.stringify(devices, null, 2) + '\n');
    return 0;
  }
  const rows = devices.map((d) => [d.slug, d.arch, d.status + (d.flasher ? ', installer' : ''), d.name]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length), ['SLUG', 'ARCH', 'STATUS'][i].length));
  const line = (r: string[]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padEnd(widths[2])}  ${r[3]}`;
  io.stdout([line(['SLUG', 'ARCH', 'STATUS', 'NAME']), ...rows.map(line)].join('\n') + '\n');
  return 0;
}
