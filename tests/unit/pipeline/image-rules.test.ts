/**
 * One home per rule (issue 7 §3): inspect and configure read the image's facts through one
 * function, so for every image they agree on what it is — installer or not, which device type,
 * which OS version. Each case builds a small image with the real tools and asks both.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { planConfiguration } from '../../../src/core/pipeline/configure-image.ts';
import { inspectImage } from '../../../src/core/pipeline/inspect-image.ts';
import type { Settings } from '../../../src/core/settings/types.ts';
import { makeImage, type PartitionSpec } from '../../helpers/make-image.ts';
import { hasTools, tempDir } from '../../helpers/tools.ts';

const tools = hasTools('sfdisk', 'mkfs.vfat', 'mkfs.ext4', 'mcopy');
const tmp = tempDir('preflash-rules-');
afterAll(() => tmp.cleanup());

const settings: Settings = { version: 1, hostname: 'rule-check' };
let n = 0;

/** A small MBR (or GPT) image: the boot FAT with `files`, then an empty rootA. */
function image(boot: { label: string; files: Record<string, string>; gptName?: string }): MemoryDisk {
  const path = tmp.path(`img-${n++}.img`);
  const table = boot.gptName ? 'gpt' : 'mbr';
  const bootPart: PartitionSpec = {
    sizeMiB: 8,
    type: table === 'gpt' ? 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B' : 'e',
    name: boot.gptName,
    fs: { fat: 16, label: boot.label, mkfsArgs: ['-s', '1'], files: boot.files },
  };
  makeImage(path, { table, partitions: [bootPart, { sizeMiB: 8, type: table === 'gpt' ? 'L' : '83', name: boot.gptName && 'resin-rootA' }] });
  return new MemoryDisk(new Uint8Array(readFileSync(path)));
}

async function both(disk: MemoryDisk, deviceSlug?: string) {
  const report = await inspectImage(disk);
  const plan = await planConfiguration(disk, settings, { deviceSlug });
  return { report, plan, planCodes: plan.warnings.map((w) => w.code), reportCodes: report.warnings.map((w) => w.code) };
}

const config = { 'config.json': '{"deviceType":"raspberrypi4-64"}\n' };

describe.skipIf(!tools)('installer detection: one rule for inspect and configure', () => {
  const cases: { name: string; label: string; gptName?: string; files: Record<string, string>; installer: boolean; evidence?: RegExp }[] = [
    { name: 'upper-case FLASH-BOOT label, no flag file', label: 'FLASH-BOOT', files: config, installer: true, evidence: /FAT label FLASH-BOOT/ },
    { name: 'flag file on a resin-boot partition', label: 'resin-boot', files: { ...config, 'balena-image-flasher': '' }, installer: true, evidence: /balena-image-flasher/ },
    { name: 'GPT name flash-boot over a FAT labelled resin-boot', label: 'resin-boot', gptName: 'flash-boot', files: config, installer: true, evidence: /GPT partition name flash-boot/ },
    { name: 'a plain resin-boot image', label: 'resin-boot', files: config, installer: false },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const { report, plan, planCodes, reportCodes } = await both(image({ label: c.label, gptName: c.gptName, files: c.files }));
    expect(report.installer).toBe(c.installer);
    expect(plan.facts.installer).toBe(c.installer);
    expect(plan.facts.installerEvidence).toBe(report.installerEvidence);
    if (c.evidence) expect(report.installerEvidence).toMatch(c.evidence);
    expect(planCodes.includes('INSTALLER_IMAGE')).toBe(c.installer);
    expect(reportCodes.includes('INSTALLER_IMAGE')).toBe(c.installer);
  });
});

describe.skipIf(!tools)('device-type.json and os-release: one reader for inspect and configure', () => {
  const cases: { name: string; files: Record<string, string>; deviceType?: string }[] = [
    { name: 'a slug', files: { 'device-type.json': '{"slug":"raspberrypi4-64","arch":"aarch64"}' }, deviceType: 'raspberrypi4-64' },
    { name: 'no slug', files: { 'device-type.json': '{"arch":"aarch64"}' } },
    { name: 'an empty slug', files: { 'device-type.json': '{"slug":""}' } },
    { name: 'not JSON', files: { 'device-type.json': '{slug: raspberrypi4-64' } },
    { name: 'a JSON array', files: { 'device-type.json': '["raspberrypi4-64"]' } },
    { name: 'no device-type.json', files: {} },
  ];
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const files = { ...config, ...c.files, 'os-release': 'ID="balena-os"\nVERSION="6.5.17"\n' };
    const { report, plan, planCodes } = await both(image({ label: 'resin-boot', files }), 'raspberrypi5');
    expect(report.deviceType).toBe(c.deviceType);
    expect(plan.imageDeviceType).toBe(c.deviceType);
    expect(plan.facts.deviceType).toBe(c.deviceType);
    expect(report.osVersion).toBe('6.5.17');
    expect(plan.facts.osVersion).toBe('6.5.17');
    // The mismatch warning needs a slug read from the image: never a guess.
    expect(planCodes.includes('DEVICE_MISMATCH')).toBe(c.deviceType !== undefined);
  });
});

describe.skipIf(!tools)('coded warnings', () => {
  it('inspect and configure carry the finder warning with the same code', async () => {
    const { plan, report } = await both(image({ label: 'resin-boot', files: {} }));
    const missing = { code: 'CONFIG_JSON_MISSING', message: expect.stringMatching(/no \/config\.json in partition 1/) };
    expect(plan.warnings).toContainEqual(missing);
    expect(report.warnings).toContainEqual(missing);
  });

  it('configure warns about suspicious settings with their path, and about hardware the board lacks', async () => {
    const disk = image({ label: 'resin-boot', files: config });
    const wifi: Settings = { version: 1, network: { wifi: [{ ssid: 'Home ', passphrase: 'long enough' }] } };
    const plan = await planConfiguration(disk, wifi, { deviceSlug: 'raspberrypi3' });
    expect(plan.warnings).toContainEqual(expect.objectContaining({ code: 'SETTINGS_SUSPICIOUS', path: 'network.wifi[0].ssid' }));
    const noWifi = await planConfiguration(disk, wifi, { deviceSlug: 'beaglebone-black' });
    expect(noWifi.warnings).toContainEqual(expect.objectContaining({ code: 'DEVICE_CAPABILITY', path: 'network.wifi' }));
    expect(plan.warnings.some((w) => w.code === 'DEVICE_CAPABILITY')).toBe(false);
    const wired: Settings = { version: 1, network: { ethernet: { ipv4: { method: 'auto' } } } };
    const edison = await planConfiguration(disk, wired, { deviceSlug: 'intel-edison' });
    expect(edison.warnings.filter((w) => w.code === 'DEVICE_CAPABILITY')).toEqual([
      { code: 'DEVICE_CAPABILITY', path: 'network.ethernet', message: expect.stringMatching(/^network\.ethernet: .* has no Ethernet port/) },
    ]);
  });

  it('every warning is plain data: code, message, optional path', async () => {
    const { plan, report } = await both(image({ label: 'FLASH-BOOT', files: {} }), 'raspberrypi5');
    for (const w of [...plan.warnings, ...report.warnings]) {
      expect(Object.keys(w).sort()).toEqual(w.path === undefined ? ['code', 'message'] : ['code', 'message', 'path']);
      expect(w.code).toMatch(/^[A-Z_]+$/);
    }
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
  });
});
