/** Small helpers for the tool-free pipeline tests: gzip with the platform's CompressionStream, recipes, results. */
import { concat } from '../../../src/core/bytes/concat.ts';
import { FatVolume } from '../../../src/core/fat/volume.ts';
import type { ByteSource } from '../../../src/core/io/byte-source.ts';
import type { OutputRecipe } from '../../../src/core/io/recipe.ts';
import { subrangeStore } from '../../../src/core/io/subrange.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';

export const settings = {
  version: 1 as const,
  hostname: 'field-unit-7',
  network: { country: 'DE', wifi: [{ ssid: 'Home Net', security: 'wpa-psk' as const, passphrase: 'correct horse battery' }] },
  files: { 'dispatcher.d/90-hello': '#!/bin/sh\necho hello\n' },
};

export const TIMESTAMP = new Date('2024-06-01T12:00:00Z');

async function drain(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let n = 0;
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
    n += value.length;
  }
  return concat(parts, n);
}

/** gzip through the platform's CompressionStream (zlib in Node, the browser's own elsewhere): no external tool. */
export function gzip(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return drain(stream.pipeThrough(new CompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>));
}

export function gunzip(bytes: Uint8Array): Promise<Uint8Array> {
  return drain(new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('gzip') as unknown as TransformStream<Uint8Array, Uint8Array>));
}

/** The bytes a recipe describes over `input`. */
export async function realise(recipe: OutputRecipe, input: ByteSource): Promise<Uint8Array> {
  const out = new Uint8Array(recipe.size);
  let at = 0;
  for (const s of recipe.segments) {
    const bytes = s.kind === 'input' ? await input.read(s.offset, s.length) : s.bytes;
    out.set(bytes, at);
    at += bytes.length;
  }
  return out;
}

/** Opens the FAT at [start, start+size) of `bytes` with the core's reader and checks it whole. */
export async function openFat(image: ByteSource & { write?: unknown }, start: number, size: number): Promise<FatVolume> {
  const store = 'write' in image && typeof image.write === 'function' ? (image as MemoryDisk) : new MemoryDisk(await image.read(0, image.size));
  const volume = await FatVolume.open(subrangeStore(store, start, size));
  await volume.verify();
  return volume;
}

export const text = async (volume: FatVolume, path: string): Promise<string> => new TextDecoder().decode(await volume.readFile(path));
