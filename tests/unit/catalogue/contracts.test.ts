/**
 * The catalogue against balena's device-type contracts (the copy in fixtures/, balena-io/contracts at
 * a4ab96e): every type is there, the facts marked as coming from the contracts are the contracts'
 * values, and scripts/import-contracts.mjs, run again, changes nothing.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { run, tempDir } from '../../helpers/tools.ts';
import { readDeviceFiles } from './device-files.ts';

interface Contract {
  slug: string;
  name: string;
  aliases: string[];
  arch: string;
  private: boolean;
  wifi: boolean;
  bluetooth: boolean;
  internalStorage: boolean;
  defaultBoot: string;
  altBoot?: string[];
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const contractsPath = fileURLToPath(new URL('./fixtures/device-types-contracts-a4ab96e.json', import.meta.url));
const contracts: Contract[] = JSON.parse(readFileSync(contractsPath, 'utf8'));
const devices = readDeviceFiles().map((f) => f.data);
const bySlug = new Map(devices.map((d) => [d.slug, d]));
const temps: Array<() => void> = [];
afterAll(() => temps.forEach((cleanup) => cleanup()));

describe('device-types/ and the contracts', () => {
  it('has every contract device type, plus ts7700 (older than the contracts)', () => {
    expect(contracts).toHaveLength(145);
    for (const c of contracts) expect(bySlug.has(c.slug), c.slug).toBe(true);
    const extra = devices.map((d) => d.slug).filter((s) => !contracts.some((c) => c.slug === s));
    expect(extra).toEqual(['ts7700']);
    expect(devices.length).toBeGreaterThanOrEqual(146);
  });

  it('says which facts came from the contracts, and those are the contracts\' values', () => {
    for (const c of contracts) {
      const d = bySlug.get(c.slug)!;
      const fields: string[] = d.contractFacts?.fields ?? [];
      expect(d.sources.some((s: string) => s.startsWith('balena-io/contracts contracts/hw.device-type/')), c.slug).toBe(true);
      if (fields.includes('name')) expect(d.name, c.slug).toBe(c.name);
      if (fields.includes('arch') || !d.seed) expect(d.arch, c.slug).toBe(c.arch);
      if (fields.includes('aliases')) for (const a of c.aliases.filter((a) => a.toLowerCase() !== c.slug)) expect(d.aliases, c.slug).toContain(a.toLowerCase());
      if (fields.includes('capabilities.wifi')) expect(d.capabilities.wifi, c.slug).toBe(c.wifi);
      if (fields.includes('capabilities.bluetooth')) expect(d.capabilities.bluetooth, c.slug).toBe(c.bluetooth);
      if (d.contractFacts) expect(d.contractFacts.commit).toBe('a4ab96e');
    }
    // Every imported type (not hand-written) says so for all its contract fields.
    const imported = devices.filter((d) => d.contractFacts?.fields.includes('name'));
    expect(imported.length).toBe(117);
    for (const d of imported) expect(d.seed, d.slug).toBe(false);
  });

  it('derives the install method from what the contract tells the user, not from internalStorage', () => {
    const contractOf = new Map(contracts.map((c) => [c.slug, c]));
    for (const d of devices) {
      const c = contractOf.get(d.slug);
      const m = d.install.method;
      if (!c) continue;
      if (c.defaultBoot === 'image') expect(m, d.slug).toBe('virtual-machine');
      if (m === 'vendor-tool') expect(c.internalStorage || d.slug === 'intel-edison', d.slug).toBe(true);
      if (m === 'installer' && d.slug !== 'hummingboard') expect(c.defaultBoot, d.slug).toBe('internal'); // hummingboard: hand-written, see its notes
      if (m === 'card') {
        const boots = [c.defaultBoot, ...(c.altBoot ?? [])];
        for (const medium of d.install.media) expect(boots, d.slug).toContain(medium === 'sd-card' ? 'sdcard' : 'usb_mass_storage');
      }
    }
    const method = (slug: string) => bySlug.get(slug)!.install;
    // Known families (issue 11).
    expect(method('raspberrypi4-64')).toEqual({ method: 'card', media: ['sd-card', 'usb-stick'] });
    expect(method('raspberrypicm4-ioboard')).toMatchObject({ method: 'vendor-tool', tool: expect.stringContaining('rpiboot') });
    expect(method('fincm3')).toMatchObject({ method: 'vendor-tool', tool: expect.stringContaining('rpiboot') });
    expect(method('jetson-agx-orin-devkit')).toMatchObject({ method: 'vendor-tool', tool: expect.stringContaining('NVIDIA') });
    expect(method('jetson-xavier-nx-devkit-emmc')).toMatchObject({ method: 'vendor-tool', tool: expect.stringContaining('NVIDIA') });
    expect(method('jetson-nano')).toEqual({ method: 'card', media: ['sd-card'] });
    expect(method('jetson-orin-nano-devkit-nvme')).toEqual({ method: 'installer', media: ['usb-stick'] });
    expect(method('beaglebone-black')).toEqual({ method: 'installer', media: ['sd-card'] });
    expect(method('intel-nuc')).toEqual({ method: 'installer', media: ['usb-stick'] });
    expect(method('qemux86-64')).toEqual({ method: 'virtual-machine', tool: 'QEMU' });
    for (const d of devices.filter((d) => d.family === 'NVIDIA Jetson' && d.install.method === 'vendor-tool')) {
      expect(d.install.tool, d.slug).toContain('NVIDIA');
    }
  });

  it('records a layout only where it is known: every Jetson image is GPT, the rest is left to the finder', () => {
    for (const d of devices.filter((d) => d.family === 'NVIDIA Jetson')) expect(d.image?.partitionTable, d.slug).toBe('gpt');
    const unknown = devices.filter((d) => d.image === undefined);
    expect(unknown.length).toBeGreaterThan(50);
    for (const d of unknown) expect(d.notes, d.slug).toMatch(/finder decides/);
  });

  it('scripts/import-contracts.mjs changes nothing when run again', () => {
    const t = tempDir('preflash-import-');
    temps.push(t.cleanup);
    for (const part of ['scripts/import-contracts.mjs', 'device-types']) {
      mkdirSync(join(t.dir, part, '..'), { recursive: true });
      cpSync(join(root, part), join(t.dir, part), { recursive: true });
    }
    const r = run('node', [join(t.dir, 'scripts/import-contracts.mjs'), contractsPath]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0 created, 146 completed');
    for (const name of readdirSync(join(root, 'device-types'))) {
      expect(readFileSync(join(t.dir, 'device-types', name), 'utf8'), name).toBe(readFileSync(join(root, 'device-types', name), 'utf8'));
    }
  });
});
