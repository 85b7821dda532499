/**
 * The pipeline on every layout kind, with no external tool: images from the core's own builder
 * (layouts.ts), planned by planConfiguration, the changes applied to a copy, and the copy re-read
 * with the core's FAT reader. The interop tests (tests/interop/configure-*.test.ts) do the same
 * with images made by sfdisk/mkfs.vfat/mtools and check the results with fsck.fat and mtools;
 * these run everywhere, tools or not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { SparseDisk } from '../../../src/core/image-builder/sparse-disk.ts';
import { inspectImage } from '../../../src/core/pipeline/inspect-image.ts';
import { planConfiguration } from '../../../src/core/pipeline/configure-image.ts';
import { parseSettings } from '../../../src/core/settings/validate.ts';
import { buildLayout, LAYOUTS } from './layouts.ts';
import { openFat, settings, text, TIMESTAMP } from './helpers.ts';

const parsed = parseSettings(JSON.stringify(settings));

describe.each(LAYOUTS)('$layout', ({ layout, partitionIndex, rule, deviceType, fatType }) => {
  let image: SparseDisk;
  beforeAll(async () => {
    image = await buildLayout(layout);
  });

  it('inspect finds the boot filesystem by the right rule and reads it', async () => {
    const report = await inspectImage(image);
    expect(report.configPartition).toMatchObject({ index: partitionIndex, rule });
    expect(report.fatType).toBe(fatType);
    if (layout !== 'resinos1') expect(report.deviceType).toBe(deviceType);
    expect(report.warnings.filter((w) => w.code !== 'INSTALLER_IMAGE')).toEqual([]);
    expect(report.warnings.some((w) => w.code === 'INSTALLER_IMAGE')).toBe(report.installer);
  });

  it('configures: config.json merged, the Wi-Fi profile and user file written, nothing outside the boot FAT changes', async () => {
    const plan = await planConfiguration(image, parsed, { timestamp: TIMESTAMP });
    expect(plan.choice.partition?.index ?? null).toBe(partitionIndex);
    const { start, size } = plan.choice;
    for (const c of plan.changes) {
      expect(c.offset).toBeGreaterThanOrEqual(start);
      expect(c.offset + c.bytes.length).toBeLessThanOrEqual(start + size);
    }
    const paths = plan.files.map((f) => f.path);
    const wifi = paths.find((p) => p.startsWith('system-connections/'));
    expect(paths).toEqual(expect.arrayContaining(['config.json', 'dispatcher.d/90-hello']));

    const out = image.clone();
    for (const c of plan.changes) await out.write(c.offset, c.bytes);
    const volume = await openFat(out, start, size);
    const config = JSON.parse(await text(volume, 'config.json'));
    expect(config).toMatchObject({ hostname: 'field-unit-7', country: 'DE', deviceType });
    expect(await text(volume, wifi!)).toMatch(/^ssid=Home Net$/m);
    expect(await text(volume, 'dispatcher.d/90-hello')).toBe('#!/bin/sh\necho hello\n');
    // The image's own files are still there, untouched.
    if (layout !== 'resinos1') expect(JSON.parse(await text(volume, 'device-type.json')).slug).toBe(deviceType);
  });

  it('is deterministic: planning twice gives the same changes', async () => {
    const a = await planConfiguration(image, parsed, { timestamp: TIMESTAMP });
    const b = await planConfiguration(image, parsed, { timestamp: TIMESTAMP });
    expect(b.changes.map((c) => [c.offset, Buffer.from(c.bytes).toString('hex')])).toEqual(a.changes.map((c) => [c.offset, Buffer.from(c.bytes).toString('hex')]));
  });
});
