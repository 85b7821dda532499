/** The pure parts of pipeline/image-facts.ts: the installer rule, the readers, the warning adapter. */
import { describe, expect, it } from 'vitest';
import { deviceTypeSlug, installerEvidence, locateWarnings, parseOsRelease } from '../../../src/core/pipeline/image-facts.ts';
import { warning } from '../../../src/core/warnings.ts';

describe('installerEvidence', () => {
  it.each([
    [{ hasFlagFile: true, fatLabel: 'resin-boot' }, 'the file /balena-image-flasher'],
    [{ hasFlagFile: false, fatLabel: 'flash-boot' }, 'the FAT label flash-boot'],
    [{ hasFlagFile: false, fatLabel: 'FLASH-BOOT' }, 'the FAT label FLASH-BOOT'],
    [{ hasFlagFile: false, fatLabel: 'Flash-Boot ' }, 'the FAT label Flash-Boot '],
    [{ hasFlagFile: false, fatLabel: 'resin-boot', partitionName: 'flash-boot' }, 'the GPT partition name flash-boot'],
    [{ hasFlagFile: false, fatLabel: null, partitionName: 'FLASH-BOOT' }, 'the GPT partition name FLASH-BOOT'],
    [{ hasFlagFile: false, fatLabel: 'resin-boot', partitionName: 'resin-boot' }, undefined],
    [{ hasFlagFile: false, fatLabel: 'flash-bootx' }, undefined],
    [{ hasFlagFile: false }, undefined],
  ])('%j → %s', (boot, evidence) => expect(installerEvidence(boot)).toBe(evidence));
});

describe('readers', () => {
  it('device-type.json: the slug or nothing', () => {
    expect(deviceTypeSlug('{"slug":"raspberrypi4-64"}')).toBe('raspberrypi4-64');
    for (const text of [undefined, '', '{', 'null', '"x"', '[]', '{"slug":5}', '{"slug":""}']) expect(deviceTypeSlug(text)).toBeUndefined();
  });

  it('os-release: quoted and bare values', () => {
    expect(parseOsRelease('ID="balena-os"\nVERSION=\'6.5.17\'\nVERSION_ID=6.5.17\n# comment\nbad line\n')).toEqual({ ID: 'balena-os', VERSION: '6.5.17', VERSION_ID: '6.5.17' });
  });
});

describe('locateWarnings', () => {
  it('codes the table and finder sentences, and passes coded ones through', () => {
    const table = { warnings: ['The MBR is a hybrid (the 0xEE entry is partition 2); only the GPT was read.'] };
    const choice = {
      warnings: [
        'Partition 3 is named resin-boot in the GPT but does not hold a FAT filesystem; it was ignored.',
        'Partitions 1, 2 are all labelled or named like a boot partition; chose partition 1 because it holds /config.json.',
        'WARNING: could not identify the boot partition by name or by /device-type.json; assuming partition 1 (FAT). Check that this is a balenaOS image before writing to it.',
        'There is no /config.json in partition 1; a new one will be created.',
      ],
    };
    expect(locateWarnings(table, choice).map((w) => w.code)).toEqual([
      'PARTITION_TABLE_DAMAGED',
      'BOOT_PARTITION_UNCERTAIN',
      'BOOT_PARTITION_UNCERTAIN',
      'BOOT_PARTITION_UNCERTAIN',
      'CONFIG_JSON_MISSING',
    ]);
    const coded = warning('FAT_REPAIRED', 'Fixed.');
    expect(locateWarnings({ warnings: [coded as never] }, { warnings: [] })).toEqual([coded]);
  });
});

