import { requireOne } from './args.ts';
import { detectFileCodec, fileStream } from './open-image.ts';
import { inspectImage, type InspectReport } from '../../core/pipeline/inspect-image.ts';
import { openImageStream } from '../../core/pipeline/open-stream.ts';
import { NodeFile } from '../node-io.ts';
import type { ParsedArgs } from '../main.ts';
import type { CliIo } from '../io.ts';

export async function runInspect(args: ParsedArgs, io: CliIo): Promise<number> {
  const path = requireOne(args.positionals, '<image>');
  const codec = await detectFileCodec(path);
  let report: InspectReport;
  let member: string | undefined;
  if (codec.id === 'raw') {
    const file = await NodeFile.open(path);
    try {
      report = await inspectImage(file);
    } finally {
      await file.close();
    }
  } else {
    const { opened } = await openImageStream(fileStream(path), { codec, member: typeof args.values.member === 'string' ? args.values.member : undefined });
    try {
      report = await inspectImage(opened.image, { deferLogicalPartitions: true });
      member = opened.member;
    } finally {
      await opened.cancel();
    }
  }
  if (args.values.json) {
    io.stdout(JSON.stringify({ format: codec.id, member, ...report }, null, 2) + '\n');
  } else {
    io.stdout(formatReport(report, codec.label, member));
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
  for (const w of r.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}
