import { describe, expect, it } from 'vitest';
import { listDevices, searchDeviceMatches, searchDevices } from '../../../src/core/catalogue/index.ts';

/** What people type, and the device type that must come first. */
const FIRST_RESULT: ReadonlyArray<readonly [query: string, slug: string]> = [
  // Raspberry Pi, every way it is typed
  ['pi 4', 'raspberrypi4-64'],
  ['rpi4', 'raspberrypi4-64'],
  ['pi4', 'raspberrypi4-64'],
  ['raspberry 4 64', 'raspberrypi4-64'],
  ['Raspberry Pi 4', 'raspberrypi4-64'],
  ['raspberrypi4', 'raspberrypi4-64'],
  ['RASPBERRYPI4-64', 'raspberrypi4-64'],
  ['rpi 5', 'raspberrypi5'],
  ['pi 5', 'raspberrypi5'],
  ['pi 400', 'raspberrypi400-64'],
  ['pi zero', 'raspberry-pi'],
  ['zero 2', 'raspberrypi0-2w-64'],
  ['pi zero 2', 'raspberrypi0-2w-64'],
  ['rpi0', 'raspberrypi0-2w-64'],
  ['raspberry pi 3', 'raspberrypi3'],
  ['pi 3 64', 'raspberrypi3-64'],
  ['32 bit pi 3', 'raspberrypi3'],
  ['cm4', 'raspberrypicm4-ioboard'],
  ['compute module 4', 'raspberrypicm4-ioboard'],
  ['revolution pi', 'revpi-connect'],
  ['balena fin', 'fincm3'],
  // NVIDIA Jetson
  ['nano', 'jetson-nano'],
  ['jetson nano', 'jetson-nano'],
  ['jetson nano 2gb', 'jetson-nano-2gb-devkit'],
  ['orin', 'jetson-agx-orin-devkit'],
  ['orin nano', 'jetson-orin-nano-devkit-nvme'],
  ['jetson orin nano', 'jetson-orin-nano-devkit-nvme'],
  ['agx orin', 'jetson-agx-orin-devkit'],
  ['xavier nx', 'jetson-xavier-nx-devkit'],
  ['xavier', 'jetson-xavier'],
  ['jetson tx2', 'jetson-tx2'],
  // BeagleBoard
  ['beaglebone', 'beaglebone-black'],
  ['bbb', 'beaglebone-black'],
  ['beaglebone green', 'beaglebone-green'],
  // x86
  ['nuc', 'intel-nuc'],
  ['intel nuc', 'intel-nuc'],
  ['x86', 'generic-amd64'],
  ['amd64', 'generic-amd64'],
  ['x86 32', 'qemux86'],
  ['qemu 64', 'qemux86-64'],
  ['up squared', 'up-squared'],
  ['surface', 'surface-go'],
  // makers
  ['nvidia', 'jetson-agx-orin-devkit'],
  ['intel', 'intel-nuc'],
  ['variscite', 'imx6ul-var-dart'],
  ['toradex', 'apalis-imx6q'],
  ['asus', 'asus-tinker-board'],
  ['radxa', 'radxa-zero'],
  ['samsung', 'artik5'],
  ['microsoft', 'surface-pro-6'],
  ['google', 'coral-dev'],
  ['technologic', 'ts7700'],
  ['kunbus', 'revpi-connect'],
  // other boards by name
  ['odroid', 'odroid-xu4'],
  ['xu4', 'odroid-xu4'],
  ['edison', 'intel-edison'],
  ['cubox', 'hummingboard'],
  ['tinker', 'asus-tinker-board'],
  ['coral dev board', 'coral-dev'],
  ['nanopi neo', 'nanopi-neo-air'],
  ['orange pi zero', 'orange-pi-zero'],
  ['rock pi', 'rockpi-4b-rk3399'],
  ['zynq', 'zc702-zynq7'],
  ['aarch64', 'generic-aarch64'],
  // slugs with typos, and names with typos
  ['raspberypi4-64', 'raspberrypi4-64'],
  ['beaglebone-blak', 'beaglebone-black'],
  ['jetson-nao', 'jetson-nano'],
  ['intel-nux', 'intel-nuc'],
  ['odroidxu4', 'odroid-xu4'],
  ['genric', 'generic'],
  ['rapsberry pi 4', 'raspberrypi4-64'],
  ['raspbery pi 3', 'raspberrypi3'],
  ['nvidai', 'jetson-agx-orin-devkit'],
  ['ts-7700', 'ts7700'],
];

describe('searchDevices', () => {
  it('has a table of at least 40 queries, each naming a device that exists', () => {
    expect(FIRST_RESULT.length).toBeGreaterThanOrEqual(40);
    const slugs = new Set(listDevices().map((d) => d.slug));
    for (const [, slug] of FIRST_RESULT) expect(slugs.has(slug), slug).toBe(true);
  });

  it.each(FIRST_RESULT)('%s → %s first', (query, slug) => {
    expect(searchDevices(query)[0]?.slug).toBe(slug);
  });

  it('finds every device by its slug, every alias and its exact name, first', () => {
    for (const d of listDevices()) {
      expect(searchDevices(d.slug)[0].slug, d.slug).toBe(d.slug);
      for (const alias of d.aliases) expect(searchDevices(alias)[0].slug, alias).toBe(d.slug);
      expect(searchDevices(d.name).map((x) => x.slug).indexOf(d.slug), d.name).toBe(0);
    }
  });

  it('finds a maker or a family: every match is of that maker or family', () => {
    const jetsons = searchDevices('jetson');
    expect(jetsons.length).toBeGreaterThanOrEqual(25);
    expect(jetsons.every((d) => d.family === 'NVIDIA Jetson')).toBe(true);
    const variscite = searchDevices('variscite');
    expect(variscite.map((d) => d.slug).sort()).toEqual(listDevices().filter((d) => d.manufacturer === 'Variscite').map((d) => d.slug).sort());
  });

  it('requires every word ("pi 4" is not the Pi 5), but a typo never empties the list', () => {
    expect(searchDevices('pi 4').map((d) => d.slug)).not.toContain('raspberrypi5');
    const pi4 = searchDevices('raspberry pi 4').map((d) => d.slug);
    expect(pi4[0]).toBe('raspberrypi4-64');
    expect(pi4).toContain('raspberrypi400-64'); // "4" starts "400"
    expect(pi4).not.toContain('raspberrypi5');
    expect(searchDevices('raspberry pi zzzzzz').length).toBeGreaterThan(0);
    expect(searchDevices('qwertyuiop')).toEqual([]);
  });

  it('gives every device in display order for an empty query, and honours limit', () => {
    expect(searchDevices('').map((d) => d.slug)).toEqual(listDevices().map((d) => d.slug));
    expect(searchDevices('   ', { limit: 3 })).toHaveLength(3);
    expect(searchDevices('jetson', { limit: 5 })).toHaveLength(5);
  });

  it('searches a list the caller gives, in its order for ties', () => {
    const pis = listDevices().filter((d) => d.family === 'Raspberry Pi');
    expect(searchDevices('nano', { devices: pis })).toEqual([]);
    expect(searchDevices('pi 4', { devices: pis })[0].slug).toBe('raspberrypi4-64');
  });

  it('ignores case, accents and punctuation', () => {
    expect(searchDevices('RÁSPBERRY-PI 4')[0].slug).toBe('raspberrypi4-64');
    expect(searchDevices('jetson_nano')[0].slug).toBe('jetson-nano');
  });

  it('reports scores in descending order', () => {
    const scores = searchDeviceMatches('raspberry pi').map((m) => m.score);
    expect(scores.length).toBeGreaterThan(5);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });
});
