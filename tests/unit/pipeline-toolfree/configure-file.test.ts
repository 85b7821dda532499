/**
 * configureFile (the job over a random-access input) and the worker's body, with no external
 * tool: the built-in sample image for the raw path, and a compact image with the same boot files
 * (15 MiB, FAT16) for the streamed paths, which decode every byte in JavaScript; gzip comes from
 * the platform's CompressionStream; results are re-read with the core's FAT reader. The raw result
 * is the reference every other path must reproduce byte for byte.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { buildDiskImage } from '../../../src/core/image-builder/disk-image.ts';
import { buildSampleImage, SAMPLE_IMAGE_NAME, sampleBootFiles } from '../../../src/core/image-builder/sample-image.ts';
import type { SparseDisk } from '../../../src/core/image-builder/sparse-disk.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import { configureFile } from '../../../src/core/pipeline/configure-file.ts';
import { parseSettings } from '../../../src/core/settings/validate.ts';
import { handle } from '../../../workers/handle.ts';
import type { WorkerEvent } from '../../../workers/protocol.ts';
import { gunzip, gzip, openFat, realise, settings, text } from './helpers.ts';

const MiB = 1024 * 1024;
const parsed = parseSettings(JSON.stringify(settings));
const same = (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b) === 0;

/** The sample's boot files in an 8 MiB FAT16 at 1 MiB, 1 MiB placeholders: 15 MiB in all. */
async function compactImage(): Promise<SparseDisk> {
  const small = (logical = false) => ({ size: MiB, type: 0x83, logical });
  const { disk } = await buildDiskImage({
    table: 'mbr',
    firstOffset: MiB,
    logicalGap: MiB,
    partitions: [
      { size: 8 * MiB, type: 0x0e, bootable: true, fat: { fatType: 16, sectorsPerCluster: 1, label: 'resin-boot', files: sampleBootFiles() } },
      small(), small(), small(true), small(true),
    ],
  });
  return disk;
}
const COMPACT_BOOT = { start: MiB, size: 8 * MiB };

let image: SparseDisk;
let gz: Uint8Array;
/** The compact image configured through the raw path: the reference. */
let reference: Uint8Array;

beforeAll(async () => {
  image = await compactImage();
  gz = await gzip(image.stream());
  const raw = await configureFile(image, parsed, { fileName: 'compact.img' });
  reference = await realise(raw.recipe!, image);
});

function collector() {
  const chunks: Uint8Array[] = [];
  let state: 'open' | 'closed' | 'aborted' = 'open';
  const sink = new WritableStream<Uint8Array>({
    write: (c) => void chunks.push(c.slice()),
    close: () => void (state = 'closed'),
    abort: () => void (state = 'aborted'),
  });
  return { sink, bytes: () => Buffer.concat(chunks), state: () => state };
}

describe('configureFile', () => {
  it('raw sample image: a recipe of input ranges and the changed sectors; the result reads back configured', async () => {
    const sample = await buildSampleImage();
    const r = await configureFile(sample.disk, parsed, { fileName: SAMPLE_IMAGE_NAME });
    expect([r.inputFormat, r.outputFormat]).toEqual(['raw', 'raw']);
    const newBytes = r.recipe!.segments.reduce((n, s) => n + (s.kind === 'bytes' ? s.bytes.length : 0), 0);
    expect(newBytes).toBe(r.plan.changes.reduce((n, c) => n + c.bytes.length, 0));
    expect(newBytes).toBeLessThan(64 * 1024);
    const out = sample.disk.clone();
    for (const c of r.plan.changes) await out.write(c.offset, c.bytes);
    const volume = await openFat(out, 4 * MiB, 40 * MiB);
    expect(JSON.parse(await text(volume, 'config.json'))).toEqual({ deviceType: 'raspberrypi4-64', persistentLogging: false, hostname: 'field-unit-7', country: 'DE' });
    expect((await volume.readdir('system-connections')).filter((e) => !e.isDirectory).map((e) => e.name).sort()).toEqual(['balena-sample.ignore', expect.stringMatching(/home/i)]);
  });

  it('.img.gz: spliced into gzip that decodes to exactly the raw result', async () => {
    const input = new MemoryDisk(gz);
    const r = await configureFile(input, parsed, { fileName: 'compact.img.gz' });
    expect([r.inputFormat, r.outputFormat]).toEqual(['gzip', 'gzip']);
    const decoded = await gunzip(await realise(r.recipe!, input));
    expect(same(decoded, reference)).toBe(true);
    const volume = await openFat(new MemoryDisk(decoded), COMPACT_BOOT.start, COMPACT_BOOT.size);
    expect(JSON.parse(await text(volume, 'config.json'))).toMatchObject({ hostname: 'field-unit-7' });
  });

  it('.img.gz to a plain image through openSink: the raw result again', async () => {
    const out = collector();
    const r = await configureFile(new MemoryDisk(gz), parsed, { fileName: 'compact.img.gz', output: 'raw', openSink: () => out.sink });
    expect(r.outputFormat).toBe('raw');
    expect(out.state()).toBe('closed');
    expect(same(out.bytes(), reference)).toBe(true);
  });
});

// workers/handle.ts as it is at the time of writing (the worker engineer is reworking it): one
// request in, typed events out, the output into a transferred WritableStream.
describe('worker handle()', () => {
  const run = async (request: Parameters<typeof handle>[0]) => {
    const events: WorkerEvent[] = [];
    await handle(request, { emit: (e) => events.push(e), signal: new AbortController().signal });
    return events;
  };

  it('configures a raw image into the sink: the same bytes as configureFile', async () => {
    const out = collector();
    const events = await run({ type: 'configure', id: 1, input: new Blob([image.toBytes() as Uint8Array<ArrayBuffer>]), fileName: 'compact.img', settings, output: 'same', sink: out.sink });
    expect(events.find((e) => e.type === 'configure-done'), JSON.stringify(events.filter((e) => e.type === 'error'))).toMatchObject({ id: 1, inputFormat: 'raw', outputFormat: 'raw' });
    expect(out.state()).toBe('closed');
    expect(same(out.bytes(), reference)).toBe(true);
  });

  it('configures a .img.gz into gzip that decodes to the same bytes, reporting progress', async () => {
    const out = collector();
    const events = await run({ type: 'configure', id: 2, input: new Blob([gz as Uint8Array<ArrayBuffer>]), fileName: 'compact.img.gz', settings, output: 'same', sink: out.sink });
    expect(events.find((e) => e.type === 'configure-done')).toMatchObject({ id: 2, inputFormat: 'gzip', outputFormat: 'gzip' });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    expect(same(await gunzip(out.bytes()), reference)).toBe(true);
  });

  it('inspects a compressed image without writing', async () => {
    const [done] = await run({ type: 'inspect', id: 3, input: new Blob([gz as Uint8Array<ArrayBuffer>]), fileName: 'compact.img.gz' });
    expect(done).toMatchObject({ type: 'inspect-done', id: 3, format: 'gzip', report: { configPartition: { index: 1, rule: 'fat-label' }, deviceType: 'raspberrypi4-64' } });
  });

  it('invalid settings: an error event naming the field, and the sink aborted', async () => {
    const out = collector();
    const events = await run({ type: 'configure', id: 4, input: new Blob([gz as Uint8Array<ArrayBuffer>]), fileName: 'x.img.gz', settings: { version: 1, hostname: 'Not Valid!' }, output: 'same', sink: out.sink });
    expect(events.at(-1)).toMatchObject({ type: 'error', id: 4, code: 'SETTINGS_INVALID', message: expect.stringMatching(/^hostname/) });
    expect(out.state()).toBe('aborted');
  });
});
