import { detectCodec, inspectImage, openImageFile, type CoreWarning, type InspectReport } from '../../core/index.ts';
import type { ParsedArgs } from '../flags.ts';
import type { CliIo } from '../io.ts';
import { cliInflate } from '../node-inflate.ts';
import { NodeFile } from '../node-io.ts';
import { requireOne } from './args.ts';

export async function runInspect(args: ParsedArgs<'inspect'>, io: CliIo): Promise<number> {
  const path = requireOne(args.positionals, '<image>');
  const file = await NodeFile.open(path);
  let report: InspectReport;
  let member: string | undefined;
  let label: string;
  let format: string;
  try {
    const codec = detectCodec(await file.read(0, Math.min(4096, file.size)), path);
    label = codec.label;
    format = codec.id;
    const opened = await openImageFile(file, { fileName: path, member: args.values.member, signal: io.signal, codec, inflate: cliInflate(io.env) });
    try {
      // A raw image is the file itself (random access): its logical partitions cost a few reads.
      // A compressed one would have to be decoded up to their EBRs, so they wait until needed.
      report = await inspectImage(opened.image, { deferLogicalPartitions: codec.id !== 'raw' });
      member = opened.member;
    } finally {
      await opened.close();
    }
  } finally {
    await file.close();
  }
  if (args.values.json) {
    io.stdout(JSON.stringify({ format, member, ...report }, null, 2) + '\n');
  } else {
    io.stdout(formatReport(report, label, member));
  }
  return 0;
}

const MiB = 1024 * 1024;
const mib = (n: number) => `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB`;

export function formatReport(r: InspectReport, format: string, member?: string): string {
  const lines: string[] = [];
  lines.push(`Format:            ${format}${member ? ` (member ${member})` : ''}`);
  lines.push(`Partition table:   ${r.table.kind.toUpperCase()}${r.table.kind === 'none' ? ' (whole-disk filesystem)' : `, ${r.table.sectorSize}-byte sectors`}`);
  if (r.partitions.length > 0) {
    lines.push('Partitions:');
    lines.push('  #   start        size         type                 name/label');
    for (const p of r.partitions) {
      const mark = p.index === r.configPartition.index ? '*' : ' ';
      lines.push(`${mark} ${String(p.index).padEnd(3)} ${mib(p.start).padEnd(12)} ${mib(p.size).padEnd(12)} ${`${p.type} ${p.typeName}`.slice(0, 20).padEnd(20)} ${p.name ?? ''}`);
    }
  }
  if (r.table.logicalsDeferred) lines.push('  (logical partitions inside the extended partition not read: that would mean decompressing up to them)');
  lines.push(`Config partition:  ${r.configPartition.index ?? 'whole disk'} — ${r.configPartition.reason}`);
  lines.push(`Filesystem:        FAT${r.fatType}, label ${r.label ?? '(none)'}, ${mib(r.freeBytes)} free`);
  lines.push(`Installer image:   ${r.installer ? 'yes — booting it erases the device’s internal disk' : 'no'}`);
  lines.push(`Device type:       ${r.deviceType ?? '(no /device-type.json)'}`);
  lines.push(`OS version:        ${r.osVersion ?? (r.installer ? '(installer images keep it in flash-rootA)' : '(no /os-release)')}`);
  lines.push(`system-connections/: ${r.systemConnections.length ? r.systemConnections.join(', ') : '(empty)'}`);
  lines.push('config.json (secrets redacted):');
  lines.push(r.configJson === null ? '  (none)' : JSON.stringify(r.configJson, null, 2).replace(/^/gm, '  '));
  for (const w of r.warnings as readonly (string | CoreWarning)[]) lines.push(`warning: ${typeof w === 'string' ? w : w.message}`);
  return lines.join('\n') + '\n';
}
