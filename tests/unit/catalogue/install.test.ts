import { describe, expect, it } from 'vitest';
import { installLabel, installSteps, listDevices, requireDevice } from '../../../src/core/catalogue/index.ts';

describe('installLabel and installSteps', () => {
  it('say how to put the image on the board, by install method', () => {
    const pi = requireDevice('raspberrypi4-64');
    expect(installLabel(pi)).toBe('written to an SD card or a USB stick');
    expect(installSteps(pi, 'pi.img')[0]).toBe('Write pi.img to an SD card or a USB stick with an image writer (balenaEtcher, Raspberry Pi Imager, dd).');

    const bbb = requireDevice('beaglebone-black');
    expect(installLabel(bbb)).toBe('installer on an SD card; erases the internal storage');
    const steps = installSteps(bbb).join(' ');
    expect(steps).toMatch(/ERASES the board's internal storage/);
    expect(steps).toMatch(/powers itself off/);

    const orin = requireDevice('jetson-agx-orin-devkit');
    expect(installLabel(orin)).toMatch(/^written to internal storage with NVIDIA's flashing tools/);
    expect(installSteps(orin)[0]).toContain(orin.install.tool);

    const cm4 = requireDevice('raspberrypicm4-ioboard');
    expect(installSteps(cm4)[0]).toContain('rpiboot');

    expect(installLabel(requireDevice('qemux86-64'))).toBe('virtual machine disk (QEMU)');
  });

  it('gives every device a label and at least two steps', () => {
    for (const d of listDevices()) {
      expect(installLabel(d).length, d.slug).toBeGreaterThan(10);
      expect(installSteps(d).length, d.slug).toBeGreaterThanOrEqual(2);
    }
  });
});
