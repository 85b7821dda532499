import { describe, expect, it } from 'vitest';
import { deviceSummary, expectedBootLabels, findDevice, isInstaller, listDevices, requireDevice } from '../../../src/core/catalogue/index.ts';
import { DEVICE_TYPES } from '../../../src/core/catalogue/devices.generated.ts';
import { CoreError } from '../../../src/core/errors.ts';
import { readDeviceFiles } from './device-files.ts';

function thrown(fn: () => unknown): CoreError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CoreError) return e;
    throw e;
  }
  throw new Error('expected a CoreError');
}

describe('catalogue', () => {
  it('embeds exactly the device files (minus the editor hint)', () => {
    const fromDisk = readDeviceFiles().map(({ data: { $schema, ...rest } }) => rest);
    expect([...DEVICE_TYPES]).toEqual(fromDisk);
  });

  it('lists every device: current first, then by family and name', () => {
    const list = listDevices();
    expect(list).toHaveLength(DEVICE_TYPES.length);
    const rank = ['current', 'unmaintained', 'discontinued', 'removed'];
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1], list[i]];
      expect(rank.indexOf(a.status) <= rank.indexOf(b.status), `${a.slug} before ${b.slug}`).toBe(true);
      if (a.status === b.status) expect(a.family.localeCompare(b.family, 'en') <= 0, `${a.slug} before ${b.slug}`).toBe(true);
    }
    expect(list[list.length - 1].slug).toBe('ts7700'); // the only removed entry
    const pis = list.filter((d) => d.family === 'Raspberry Pi').map((d) => d.slug);
    expect(pis.indexOf('raspberrypi4-64')).toBeLessThan(pis.indexOf('raspberrypi400-64')); // numeric order
  });

  it('returns a fresh array each time', () => {
    const list = listDevices();
    list.length = 0;
    expect(listDevices()).toHaveLength(DEVICE_TYPES.length);
  });

  it('finds devices by slug or alias, ignoring case and surrounding spaces', () => {
    expect(findDevice('raspberrypi4-64')?.name).toBe('Raspberry Pi 4 (64-bit OS)');
    expect(findDevice('RaspberryPi4-64')?.slug).toBe('raspberrypi4-64');
    expect(findDevice('nuc')?.slug).toBe('intel-nuc');
    expect(findDevice(' Edison ')?.slug).toBe('intel-edison');
    expect(findDevice('solidrun-imx6')?.slug).toBe('hummingboard');
    expect(findDevice('odroid-u3+')?.slug).toBe('odroid-xu4');
    expect(findDevice('raspberrypi')?.slug).toBe('raspberry-pi');
    expect(findDevice('raspberrypi4')).toBeUndefined();
    expect(findDevice('')).toBeUndefined();
  });

  it('requireDevice returns the device or throws DEVICE_UNKNOWN with a suggestion', () => {
    expect(requireDevice('artik520').slug).toBe('artik5');
    const partial = thrown(() => requireDevice('raspberrypi4'));
    expect(partial.code).toBe('DEVICE_UNKNOWN');
    expect(partial.message).toBe("Unknown device type 'raspberrypi4'; did you mean 'raspberrypi4-64'? (preflash devices lists them)");
    expect(partial.detail).toEqual({ input: 'raspberrypi4', suggestion: 'raspberrypi4-64' });
    expect(thrown(() => requireDevice('beaglebone-blak')).detail.suggestion).toBe('beaglebone-black');
    // An alias typo suggests the device's slug, not the alias.
    expect(thrown(() => requireDevice('edisn')).detail.suggestion).toBe('intel-edison');
  });

  it('makes no suggestion when nothing is close', () => {
    const e = thrown(() => requireDevice('xyz'));
    expect(e.code).toBe('DEVICE_UNKNOWN');
    expect(e.message).toBe("Unknown device type 'xyz' (preflash devices lists them)");
    expect(e.detail).toEqual({ input: 'xyz' });
  });

  it('summarises a device for pickers and `preflash devices --json`', () => {
    expect(deviceSummary(requireDevice('generic-amd64'))).toEqual({
      slug: 'generic-amd64',
      name: 'Generic x86_64 (GPT)',
      aliases: [],
      manufacturer: '(generic)',
      family: 'Generic x86',
      arch: 'amd64',
      status: 'current',
      wifi: false,
      bluetooth: false,
      install: { method: 'installer', media: ['usb-stick'] },
      flasher: true,
      fromContracts: ['install', 'capabilities.bluetooth'],
    });
    expect(deviceSummary(requireDevice('jetson-xavier'))).toMatchObject({
      family: 'NVIDIA Jetson',
      install: { method: 'vendor-tool', tool: expect.stringContaining('NVIDIA') },
      flasher: false,
      fromContracts: ['name', 'aliases', 'arch', 'capabilities.wifi', 'capabilities.bluetooth', 'install'],
    });
    const keys = ['aliases', 'arch', 'bluetooth', 'family', 'flasher', 'fromContracts', 'install', 'manufacturer', 'name', 'slug', 'status', 'wifi'];
    for (const s of listDevices().map(deviceSummary)) {
      expect(Object.keys(s).sort()).toEqual(keys);
      expect(s.flasher).toBe(s.install.method === 'installer');
    }
    expect(listDevices().filter(isInstaller).map(deviceSummary).every((s) => s.flasher)).toBe(true);
  });

  it('gives the boot labels an image of the device may carry, default first', () => {
    expect(expectedBootLabels(requireDevice('intel-nuc'))).toEqual(['flash-boot', 'resin-boot']);
    expect(expectedBootLabels(requireDevice('raspberrypi5'))).toEqual(['resin-boot']);
    expect(expectedBootLabels(requireDevice('jetson-nano'))).toEqual(['resin-boot']);
    // Layout not in the catalogue: no expectation, the finder decides from the image.
    expect(requireDevice('coral-dev').image).toBeUndefined();
    expect(expectedBootLabels(requireDevice('coral-dev'))).toEqual([]);
  });
});
