/**
 * Compressed test images made at test time with the real tools (gzip, pigz, zip), plus stream
 * plumbing for driving codecs from files. Nothing binary is committed.
 */
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync, readFileSync, readSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import type { ByteSource } from '../../src/core/io/byte-source.ts';
import type { ChangedRange } from '../../src/core/io/overlay.ts';
import { writeRecipe, type OutputRecipe } from '../../src/core/io/recipe.ts';
import { runOk } from './tools.ts';
import { xorshift32 } from './xorshift.ts';

const MiB = 1 << 20;

/**
 * A realistic raw image: 1 MiB blocks cycling through zeros, compressible text, random bytes and
 * a sparse-looking mix, so deflate makes blocks of every kind (stored, fixed, dynamic).
 */
export function makeRawImage(path: string, sizeMiB: number, seed = 1): Uint8Array {
  const img = new Uint8Array(sizeMiB * MiB);
  const rnd = xorshift32(seed);
  const words = 'balena config json network wifi ssid uuid device boot partition fat cluster sector image '.split(' ');
  const enc = new TextEncoder();
  for (let b = 0; b < sizeMiB; b++) {
    const base = b * MiB;
    const kind = b % 5;
    if (kind === 0) continue; // zeros
    if (kind === 1 || kind === 3) {
      let p = base;
      while (p < base + MiB) {
        const line = enc.encode(`${words[rnd() % words.length]} ${words[rnd() % words.length]}=${rnd() % 100000};\n`);
        const n = Math.min(line.length, base + MiB - p);
        img.set(line.subarray(0, n), p);
        p += n;
      }
    } else if (kind === 2) {
      for (let p = base; p < base + MiB; p += 4) {
        const v = rnd();
        img[p] = v;
        img[p + 1] = v >>> 8;
        img[p + 2] = v >>> 16;
        img[p + 3] = v >>> 24;
      }
    } else {
      // Sectors of random bytes scattered through zeros (like a sparse filesystem).
      for (let s = 0; s < MiB / 512; s++) if (rnd() % 4 === 0) for (let i = 0; i < 512; i++) img[base + s * 512 + i] = rnd() & 0xff;
    }
  }
  writeFileSync(path, img);
  return img;
}

/** Runs a shell pipeline (for `gzip -c x > y`, `zip - x | cat > y`…). */
export function sh(script: string, cwd?: string): string {
  return runOk('sh', ['-c', script], { cwd });
}

export function fileStream(path: string): ReadableStream<Uint8Array> {
  return Readable.toWeb(createReadStream(path, { highWaterMark: 1 << 20 })) as ReadableStream<Uint8Array>;
}

export function bytesStream(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let pos = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      if (pos >= bytes.length) return c.close();
      c.enqueue(bytes.slice(pos, pos + chunk));
      pos += chunk;
    },
  });
}

/** A plain file sink (an abort leaves what was written: tests check abort with memorySink). */
export function fileSink(path: string): WritableStream<Uint8Array> {
  return Writable.toWeb(createWriteStream(path)) as WritableStream<Uint8Array>;
}

/** A synchronous file sink that deletes the file when aborted: a failed write leaves no output file. */
export function fileSinkRemovedOnAbort(path: string): WritableStream<Uint8Array> {
  const fd = openSync(path, 'w');
  return new WritableStream({
    write: (c) => void writeSync(fd, c),
    close: () => closeSync(fd),
    abort: () => {
      closeSync(fd);
      unlinkSync(path);
    },
  });
}

/** In-memory sink; `aborted` records an abort. */
export function memorySink(): { stream: WritableStream<Uint8Array>; bytes: () => Uint8Array; state: { closed: boolean; aborted: boolean } } {
  const parts: Uint8Array[] = [];
  const state = { closed: false, aborted: false };
  const stream = new WritableStream<Uint8Array>({
    write: (c) => void parts.push(c.slice()),
    close: () => void (state.closed = true),
    abort: () => void (state.aborted = true),
  });
  return { stream, state, bytes: () => Buffer.concat(parts) };
}

/** Copy of `raw` with the changes applied: what every output must decode to. */
export function applyToCopy(raw: Uint8Array, changes: readonly ChangedRange[]): Uint8Array {
  const out = raw.slice();
  for (const c of changes) out.set(c.bytes, c.offset);
  return out;
}

let patchedBuffer = new Uint8Array(0);

/**
 * Like applyToCopy, into one reused buffer: valid until the next call. For comparing a decode with
 * the expected image, where a fresh copy per check paid ~4.5 ms of page faults per MiB on the test VM.
 */
export function patchedView(raw: Uint8Array, changes: readonly ChangedRange[]): Uint8Array {
  if (patchedBuffer.length < raw.length) patchedBuffer = new Uint8Array(raw.length);
  const out = patchedBuffer.subarray(0, raw.length);
  out.set(raw);
  for (const c of changes) out.set(c.bytes, c.offset);
  return out;
}

/** Changes of every kind in the first MBs: single bytes, sector runs, a range across blocks. */
export function sampleChanges(seed = 7): ChangedRange[] {
  let x = seed;
  const fill = (n: number) => {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = (x = (x * 1103515245 + 12345) >>> 0) >>> 24;
    return b;
  };
  return [
    { offset: 510, bytes: fill(2) },
    { offset: 1 * MiB + 4096, bytes: fill(512 * 8) },
    { offset: 2 * MiB + 100_000, bytes: fill(300_000) },
    { offset: 2 * MiB + 700_000, bytes: fill(1) },
    { offset: 5 * MiB + 12_345, bytes: fill(70_000) },
    { offset: 7 * MiB, bytes: fill(4096) },
  ];
}

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.length), Buffer.from(b.buffer, b.byteOffset, b.length)) === 0;
}

/** Central directory entries of a small (non-ZIP64) zip, for comparing members' raw local records. */
export function zipEntries(zip: Uint8Array): { name: string; offset: number; compressedSize: number; crc: number; recordLength: number }[] {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.length);
  let eocd = zip.length - 22;
  while (eocd >= 0 && v.getUint32(eocd, true) !== 0x06054b50) eocd--;
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const out = [];
  for (let i = 0; i < count; i++) {
    const nameLen = v.getUint16(p + 28, true);
    const name = new TextDecoder().decode(zip.subarray(p + 46, p + 46 + nameLen));
    const offset = v.getUint32(p + 42, true);
    const compressedSize = v.getUint32(p + 20, true);
    const localExtra = v.getUint16(offset + 28, true);
    const flags = v.getUint16(offset + 6, true);
    const descriptor = flags & 8 ? (v.getUint32(offset + 30 + nameLen + localExtra + compressedSize, true) === 0x08074b50 ? 16 : 12) : 0;
    out.push({ name, offset, compressedSize, crc: v.getUint32(p + 16, true), recordLength: 30 + nameLen + localExtra + compressedSize + descriptor });
    p += 46 + nameLen + v.getUint16(p + 30, true) + v.getUint16(p + 32, true);
  }
  return out;
}

/** A file as a random-access ByteSource (what the CLI and the browser hand the core). */
export function fileSource(path: string): ByteSource & { close(): void } {
  const fd = openSync(path, 'r');
  return {
    size: fstatSync(fd).size,
    async read(offset: number, length: number) {
      const b = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const n = readSync(fd, b, done, length - done, offset + done);
        if (n === 0) throw new Error(`short read at ${offset + done}`);
        done += n;
      }
      return b;
    },
    close: () => closeSync(fd),
  };
}

/** A recipe realised in memory against the input's bytes. */
export function realise(recipe: OutputRecipe, input: Uint8Array): Uint8Array {
  const out = new Uint8Array(recipe.size);
  let o = 0;
  for (const s of recipe.segments) {
    const part = s.kind === 'input' ? input.subarray(s.offset, s.offset + s.length) : s.bytes;
    if (s.kind === 'input' && s.offset + s.length > input.length) throw new Error('recipe reads past the input');
    out.set(part, o);
    o += part.length;
  }
  return out;
}

/** A recipe realised into a file with writeRecipe (the streamed path hosts without a faster one use). */
export async function realiseToFile(recipe: OutputRecipe, input: ByteSource, path: string): Promise<void> {
  await writeRecipe(recipe, input, fileSink(path));
}

/**
 * A sink whose writes fail after `okWrites` writes, like a full disk. Once a write has failed the
 * stream is errored (WHATWG streams: a later abort() does not reach the sink); `state.closed` says
 * whether the writer ever committed it.
 */
export function failingSink(okWrites = 1): { stream: WritableStream<Uint8Array>; state: { closed: boolean; writes: number }; errored: () => Promise<boolean> } {
  const state = { closed: false, writes: 0 };
  const stream = new WritableStream<Uint8Array>({
    write: () => {
      if (++state.writes > okWrites) throw new Error('ENOSPC: no space left on device');
    },
    close: () => void (state.closed = true),
  });
  const errored = async () => {
    const w = stream.getWriter();
    return w.closed.then(
      () => false,
      () => true,
    );
  };
  return { stream, state, errored };
}

/** A small synthetic image: 4 KiB stripes of zeros, text-like and random bytes (blocks of every kind). */
export function image(n: number, seed = 1): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    b[i] = (i >> 12) % 3 === 0 ? 0 : (i >> 12) % 3 === 1 ? 97 + ((x >>> 24) % 8) : x >>> 24;
  }
  return b;
}

/** Like makeRawImage, in memory: 64 KiB stripes of zeros, text and xorshift noise (deflate makes many blocks). */
export function noisyImage(n: number, seed = 3): Uint8Array {
  const img = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const kind = (i >> 16) % 3;
    img[i] = kind === 0 ? 0 : kind === 1 ? 97 + ((x >>> 0) % 16) : x & 0xff;
  }
  return img;
}
