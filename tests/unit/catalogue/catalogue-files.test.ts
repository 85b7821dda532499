import { describe, expect, it } from 'vitest';
import { readDeviceFiles } from './device-files.ts';

const files = readDeviceFiles();
const devices = files.map((f) => f.data);
const bySlug = new Map(devices.map((d) => [d.slug, d]));

/** The original balenaOS support list (issue text); each keeps its row until it works. */
const SEED_SLUGS = [
  'raspberry-pi', // Raspberry Pi 1 A+ / Zero
  'raspberry-pi2',
  'raspberrypi3',
  'beaglebone-black',
  'beaglebone-green',
  'beaglebone-green-wifi',
  'artik5',
  'artik10',
  'odroid-c1', // C1/C1+
  'odroid-xu4',
  'hummingboard',
  'nitrogen6x',
  'parallella',
  'via-vab820-quad',
  'ts7700',
  'intel-edison',
  'intel-nuc',
];

/** Device types users pick today (issue text). */
const CURRENT_SLUGS = [
  'raspberrypi3-64',
  'raspberrypi4-64',
  'raspberrypi400-64',
  'raspberrypi5',
  'raspberrypi0-2w-64',
  'raspberrypicm4-ioboard',
  'jetson-nano',
  'jetson-orin-nano-devkit-nvme',
  'jetson-agx-orin-devkit',
  'generic-amd64',
  'genericx86-64-ext',
  'generic-aarch64',
];

describe('device-types/*.json', () => {
  it('names every file after its slug and points it at the schema', () => {
    for (const { fileName, data } of files) {
      expect(fileName).toBe(`${data.slug}.json`);
      expect(data.$schema).toBe('./schema.json');
    }
  });

  it('has unique slugs and aliases, and no alias shadows a slug', () => {
    const keys = devices.flatMap((d) => [d.slug, ...d.aliases].map((k: string) => k.toLowerCase()));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('keeps every device type of the original support list, marked seed', () => {
    expect(SEED_SLUGS).toHaveLength(17);
    for (const slug of SEED_SLUGS) expect(bySlug.get(slug)?.seed, slug).toBe(true);
    expect(devices.filter((d) => d.seed).map((d) => d.slug).sort()).toEqual([...SEED_SLUGS].sort());
  });

  it('has the device types users pick today', () => {
    for (const slug of CURRENT_SLUGS) {
      expect(bySlug.get(slug)?.status, slug).toBe('current');
      expect(bySlug.get(slug)?.seed, slug).toBe(false);
    }
  });

  it('describes generic x86_64 as GPT (generic-amd64) and MBR (genericx86-64-ext)', () => {
    expect(bySlug.get('generic-amd64')!.image.partitionTable).toBe('gpt');
    expect(bySlug.get('genericx86-64-ext')!.image.partitionTable).toBe('mbr');
  });

  it('tells the user that an installer image erases the internal disk', () => {
    const installers = devices.filter((d) => d.install.method === 'installer');
    expect(installers.length).toBeGreaterThan(0);
    for (const d of installers) {
      const danger = d.userNotes.filter((n: any) => n.severity === 'danger').map((n: any) => n.text).join(' ');
      expect(danger, d.slug).toMatch(/installer image.*ERASES the device's internal storage/);
    }
  });

  it('describes Intel Edison as a whole-disk FAT inside a zip', () => {
    const edison = bySlug.get('intel-edison')!;
    expect(edison.image.partitionTable).toBe('none');
    expect(edison.image.bootPartition).toMatchObject({ index: null, match: 'whole-disk-fat' });
    expect(edison.image.archive).toMatchObject({ format: 'zip', memberPattern: '*.hddimg' });
    expect(devices.filter((d) => d.image?.archive).map((d) => d.slug)).toEqual(['intel-edison']);
  });

  it('matches GPT images by partition name and MBR images by FAT label', () => {
    for (const d of devices.filter((d) => d.image?.bootPartition && d.image.partitionTable)) {
      const expected = { gpt: 'gpt-name', mbr: 'fat-label', none: 'whole-disk-fat' }[d.image.partitionTable as string];
      expect(d.image.bootPartition.match, d.slug).toBe(expected);
    }
  });

  it('points replacedBy only at device types that exist', () => {
    for (const d of devices.filter((d) => d.replacedBy)) expect(bySlug.has(d.replacedBy), d.slug).toBe(true);
  });
});
