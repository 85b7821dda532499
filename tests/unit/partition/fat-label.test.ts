import { describe, expect, it } from 'vitest';
import { fatVolumeBytes, looksLikeFatBootSector, readBpbLabel } from '../../../src/core/partition/fat-label.ts';
import { fatBootSector, writeTableSector } from './disk-builder.ts';

describe('fat-label', () => {
  it('reads FAT12/16 labels at 0x2B and FAT32 labels at 0x47, trimming padding', () => {
    expect(readBpbLabel(fatBootSector({ label: 'flash-boot', totalSectors: 81920 }))).toBe('flash-boot');
    expect(readBpbLabel(fatBootSector({ fat32: true, label: 'RESIN-BOOT', totalSectors: 200000 }))).toBe('RESIN-BOOT');
    const nul = fatBootSector({ label: 'resin-conf', totalSectors: 4000 });
    nul[0x2b + 10] = 0;
    expect(readBpbLabel(nul)).toBe('resin-conf');
  });

  it('returns null for "NO NAME" and for a BPB without the 0x29 extended signature', () => {
    expect(readBpbLabel(fatBootSector({ totalSectors: 4000 }))).toBeNull();
    const old = fatBootSector({ label: 'resin-boot', totalSectors: 4000 });
    old[0x26] = 0;
    expect(readBpbLabel(old)).toBeNull();
  });

  it('recognises FAT boot sectors and computes the volume size from the BPB', () => {
    const fat16 = fatBootSector({ label: 'x', totalSectors: 40960 });
    expect(looksLikeFatBootSector(fat16)).toBe(true);
    expect(fatVolumeBytes(fat16)).toBe(40960 * 512);
    const fat32 = fatBootSector({ fat32: true, totalSectors: 1_000_000, bytesPerSector: 4096 });
    expect(looksLikeFatBootSector(fat32)).toBe(true);
    expect(fatVolumeBytes(fat32)).toBe(4096 * 1_000_000);
  });

  it.each([
    ['a blank MBR sector', () => {
      const s = new Uint8Array(512);
      writeTableSector(s, 0, [{ type: 0x0c, start: 8192, sectors: 81920 }]);
      return s;
    }],
    ['a wrong jump byte', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0: 0x00 })],
    ['bytes per sector 768', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0x0b: 0x00, 0x0c: 0x03 })],
    ['bytes per sector 8192', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0x0b: 0x00, 0x0c: 0x20 })],
    ['3 sectors per cluster', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0x0d: 3 })],
    ['3 FATs', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0x10: 3 })],
    ['no reserved sectors', () => Object.assign(fatBootSector({ totalSectors: 100 }), { 0x0e: 0 })],
  ])('rejects %s', (_, make) => {
    expect(looksLikeFatBootSector(make())).toBe(false);
  });
});
