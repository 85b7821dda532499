import { describe, expect, it } from 'vitest';
import { compileSchema, readDeviceFiles, readSchema } from './device-files.ts';

const validate = compileSchema();
const files = readDeviceFiles();
const valid = (data: unknown) => validate(data) as boolean;
const errorsOf = (data: unknown) => (validate(data) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`));

/** A deep copy of a known-good device, for breaking one thing at a time. */
function sample(slug = 'raspberrypi4-64'): Record<string, any> {
  return structuredClone(files.find((f) => f.data.slug === slug)!.data);
}

describe('device-types/schema.json', () => {
  it.each(files.map((f) => [f.fileName, f.data] as const))('%s validates', (_name, data) => {
    expect(errorsOf(data)).toEqual([]);
  });

  it('sets additionalProperties: false on every object it describes', () => {
    const loose: string[] = [];
    // Conditional subschemas (allOf/if/then/else) only add constraints to objects described elsewhere.
    const walk = (node: unknown, path: string): void => {
      if (node === null || typeof node !== 'object') return;
      if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`));
      const n = node as Record<string, unknown>;
      if ((n.type === 'object' || n.properties) && n.additionalProperties !== false) loose.push(path || '/');
      for (const [key, child] of Object.entries(n)) {
        if (['allOf', 'if', 'then', 'else', 'const', 'enum'].includes(key)) continue;
        if (key === 'properties') {
          for (const [prop, sub] of Object.entries(child as object)) walk(sub, `${path}/properties/${prop}`);
        } else walk(child, `${path}/${key}`);
      }
    };
    walk(readSchema(), '');
    expect(loose).toEqual([]);
  });

  it('accepts the sample it breaks below', () => {
    expect(valid(sample())).toBe(true);
  });

  it('rejects an unknown top-level key', () => {
    const d = sample();
    d.wifi = true; // the reference's snake_case field, not ours
    expect(valid(d)).toBe(false);
    expect(validate.errors!.some((e) => e.keyword === 'additionalProperties' && e.params.additionalProperty === 'wifi')).toBe(true);
  });

  it('rejects unknown keys nested in image, bootPartition and capabilities', () => {
    for (const mutate of [
      (d: any) => (d.image.boot_fs = 'FAT16'),
      (d: any) => (d.image.bootPartition.other_labels = []),
      (d: any) => (d.capabilities.zigbee = true),
      (d: any) => (d.install.where = 'sd'),
      (d: any) => (d.userNotes[0] = { severity: 'info', text: 'x', url: 'y' }),
    ]) {
      const d = sample();
      mutate(d);
      expect(valid(d)).toBe(false);
    }
  });

  it('rejects values outside the enums', () => {
    for (const mutate of [
      (d: any) => (d.arch = 'arm64'),
      (d: any) => (d.status = 'deprecated'),
      (d: any) => (d.image.partitionTable = 'dos'),
      (d: any) => (d.image.bootFs = 'FAT12'),
      (d: any) => (d.image.bootPartition.match = 'label'),
      (d: any) => (d.capabilities.wifi = 'yes'),
    ]) {
      const d = sample();
      mutate(d);
      expect(valid(d)).toBe(false);
      expect(validate.errors!.some((e) => e.keyword === 'enum' || e.keyword === 'type')).toBe(true);
    }
  });

  it('rejects a missing slug and a malformed one', () => {
    const missing = sample();
    delete missing.slug;
    expect(errorsOf(missing)).toContain(" must have required property 'slug'");
    const upper = sample();
    upper.slug = 'RaspberryPi4';
    expect(valid(upper)).toBe(false);
  });

  it('rejects an installer image without a danger note for the user', () => {
    const d = sample('intel-nuc');
    expect(valid(d)).toBe(true);
    d.userNotes = d.userNotes.filter((n: any) => n.severity !== 'danger');
    expect(valid(d)).toBe(false);
  });

  it('names the tool for a vendor tool or a virtual machine, and the media for a card or an installer', () => {
    const pi = sample();
    pi.install = { method: 'card', media: ['sd-card', 'usb-stick'] };
    expect(valid(pi)).toBe(true);
    for (const install of [
      { method: 'card' },
      { method: 'card', media: ['sd-card'], tool: 'dd' },
      { method: 'card', media: [] },
      { method: 'card', media: ['floppy'] },
      { method: 'vendor-tool' },
      { method: 'vendor-tool', tool: 'rpiboot', media: ['sd-card'] },
      { method: 'virtual-machine' },
      { method: 'flash' },
    ]) {
      pi.install = install;
      expect(valid(pi), JSON.stringify(install)).toBe(false);
    }
    pi.install = { method: 'vendor-tool', tool: 'usbboot (rpiboot)' };
    expect(valid(pi)).toBe(true);
  });

  it('takes an image layout with only what is known, but not an empty one', () => {
    const d = sample();
    d.image = { partitionTable: 'gpt' };
    expect(valid(d)).toBe(true);
    delete d.image;
    expect(valid(d)).toBe(true);
    d.image = {};
    expect(valid(d)).toBe(false);
  });

  it('lists only known contract fields in contractFacts', () => {
    const d = sample();
    d.contractFacts = { commit: 'a4ab96e', fields: ['install', 'capabilities.bluetooth'] };
    expect(valid(d)).toBe(true);
    d.contractFacts.fields = ['notes'];
    expect(valid(d)).toBe(false);
    d.contractFacts = { commit: 'HEAD', fields: ['install'] };
    expect(valid(d)).toBe(false);
  });

  it('ties "no partition table" to a whole-disk boot filesystem', () => {
    const edison = sample('intel-edison');
    expect(valid(edison)).toBe(true);
    edison.image.bootPartition.index = 1;
    expect(valid(edison)).toBe(false);
    const pi = sample();
    pi.image.bootPartition.match = 'whole-disk-fat';
    expect(valid(pi)).toBe(false);
  });
});
