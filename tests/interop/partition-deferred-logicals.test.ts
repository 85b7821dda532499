/**
 * Streamed images defer the MBR's logical partitions: their EBRs lie behind the root partitions,
 * and reading one would decode the stream up to it. The finder reads them only when the primaries
 * do not settle the question (resinOS 1.x keeps config.json on logical p5).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { fatProbeFor } from '../../src/core/pipeline/open-boot-fs.ts';
import { findConfigPartition } from '../../src/core/partition/find-config-partition.ts';
import { readPartitionTable } from '../../src/core/partition/read-table.ts';
import type { ByteSource } from '../../src/core/io/byte-source.ts';
import { makeBalenaImage } from '../helpers/make-image.ts';
import { hasTools, tempDir } from '../helpers/tools.ts';
import { fileSource } from './partition-helpers.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mcopy');
const tmp = tempDir('preflash-deferred-');
afterAll(() => tmp.cleanup());

/** Records the furthest byte read, as a streamed source would have to decode up to it. */
function watched(source: ByteSource): ByteSource & { furthest: number } {
  const w = {
    furthest: 0,
    size: Number.POSITIVE_INFINITY,
    read: (offset: number, length: number) => {
      w.furthest = Math.max(w.furthest, offset + length);
      return source.read(offset, length);
    },
  };
  return w;
}

describe.skipIf(!tools)('deferred logical partitions', () => {
  it('a Raspberry Pi image is decided on its primaries: nothing past the boot partition is read', async () => {
    const made = makeBalenaImage(tmp.path('rpi.img'), 'raspberrypi');
    const src = watched(fileSource(made.path));
    const table = await readPartitionTable(src, { deferLogicals: true });
    expect(table.logicalsDeferred).toBe(true);
    expect(table.partitions.map((p) => p.index)).toEqual([1, 2, 3]);
    expect(table.extended).toEqual([expect.objectContaining({ index: 4 })]);
    const choice = await findConfigPartition(src, table, fatProbeFor(src));
    expect(choice.partition?.index).toBe(1);
    expect(choice.table).toBeUndefined();
    expect(src.furthest).toBeLessThanOrEqual(made.offsets[1] + 512);
  });

  it('a resinOS 1.x image needs its logicals: they are read then, and p5 (resin-conf) is chosen', async () => {
    const made = makeBalenaImage(tmp.path('resinos1.img'), 'resinos1');
    const src = watched(fileSource(made.path));
    const table = await readPartitionTable(src, { deferLogicals: true });
    const choice = await findConfigPartition(src, table, fatProbeFor(src));
    expect(choice.rule).toBe('resin-conf');
    expect(choice.partition?.index).toBe(5);
    expect(choice.table?.logicalsDeferred).toBeUndefined();
    expect(choice.table?.partitions.map((p) => p.index)).toEqual([1, 2, 3, 5, 6]);
  });
});
