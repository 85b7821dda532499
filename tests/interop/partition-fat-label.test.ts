/** The BPB helpers against real mkfs.vfat output, with mtools' minfo as the oracle for the label. */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { fatBytesPerSector, fatVolumeBytes, looksLikeFatBootSector, readBpbLabel } from '../../src/core/partition/fat-label.ts';
import { hasTools, runOk, tempDir } from '../helpers/tools.ts';

const tmp = tempDir('preflash-partition-label-');
afterAll(() => tmp.cleanup());

describe.skipIf(!hasTools('mkfs.vfat', 'minfo'))('BPB label and geometry vs mkfs.vfat / minfo', () => {
  it.each([
    [12, 'resin-conf', 512, 8 * 1024],
    [16, 'flash-boot', 512, 40 * 1024],
    [32, 'RESIN-BOOT', 512, 40 * 1024],
    [16, 'resin-boot', 4096, 32 * 1024],
    [16, undefined, 512, 16 * 1024],
  ] as const)('FAT%i labelled %s, %i-byte sectors', (fat, label, sectorSize, kib) => {
    const image = tmp.path(`fat${fat}-${label}-${sectorSize}.img`);
    const args = ['-F', String(fat), '-S', String(sectorSize), ...(label ? ['-n', label] : []), ...(fat === 32 || sectorSize > 512 ? ['-s', '1'] : []), '-C', image, String(kib)];
    runOk('mkfs.vfat', args);
    const sector0 = new Uint8Array(readFileSync(image).subarray(0, 512));
    const minfoLabel = /disk label="(.*)"/.exec(runOk('minfo', ['-i', image]))![1].trimEnd();
    expect(looksLikeFatBootSector(sector0)).toBe(true);
    expect(readBpbLabel(sector0)).toBe(minfoLabel === 'NO NAME' ? null : minfoLabel);
    expect(readBpbLabel(sector0)).toBe(label ?? null);
    expect(fatBytesPerSector(sector0)).toBe(sectorSize);
    expect(fatVolumeBytes(sector0)).toBe(kib * 1024);
  });
});
