/**
 * Compressed fixtures of 4 GiB+ images without compressing gigabytes of zeros on every run. The
 * real tool still makes every compressed byte: it compresses small inputs (one block of the image
 * each), and these helpers only lay what it wrote end to end, writing the framing the format
 * defines around them (an .xz index and stream footer; a gzip trailer). The pieces are exactly what
 * the tool writes for the whole image: an xz block depends on its own input only, and a pigz chunk
 * on its input and the 32 KiB before it. `selfCheckXz` / `selfCheckGzip` prove that on a small
 * image every run (the assembled file equals the tool's own output, byte for byte).
 */
import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

// ---- xz (.xz file format 1.2.1, §2.1 stream header/footer, §4 index) -------------------------

interface XzBlocks {
  /** Stream flags (2 bytes after the magic): the check type. */
  flags: Uint8Array;
  /** Every block's bytes, padding and check included, and its index record. */
  blocks: { bytes: Uint8Array; unpadded: bigint; uncompressed: bigint }[];
}

function readVli(b: Uint8Array, at: { pos: number }): bigint {
  let v = 0n;
  for (let i = 0; i < 9; i++) {
    const byte = b[at.pos++];
    v |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) return v;
  }
  throw new Error('xz: bad variable-length integer');
}

function vli(v: bigint): number[] {
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}

const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

/** The blocks of a single-stream .xz file, as its index lists them. */
export function xzBlocks(path: string): XzBlocks {
  const f = new Uint8Array(readFileSync(path));
  const magic = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];
  if (!magic.every((m, i) => f[i] === m) || f[f.length - 2] !== 0x59 || f[f.length - 1] !== 0x5a) throw new Error(`${path}: not a single-stream .xz`);
  const footer = f.subarray(f.length - 12);
  const backward = (new DataView(footer.buffer, footer.byteOffset).getUint32(4, true) + 1) * 4;
  const indexAt = f.length - 12 - backward;
  if (f[indexAt] !== 0) throw new Error(`${path}: no index where the footer says`);
  const at = { pos: indexAt + 1 };
  const count = Number(readVli(f, at));
  const blocks: XzBlocks['blocks'] = [];
  let pos = 12;
  for (let i = 0; i < count; i++) {
    const unpadded = readVli(f, at);
    const uncompressed = readVli(f, at);
    const total = (Number(unpadded) + 3) & ~3;
    blocks.push({ bytes: f.subarray(pos, pos + total), unpadded, uncompressed });
    pos += total;
  }
  if (pos !== indexAt) throw new Error(`${path}: blocks do not end at the index (more than one stream?)`);
  return { flags: f.subarray(6, 8), blocks };
}

/**
 * Writes one .xz stream holding the blocks of `parts` in order, each part's blocks `repeat` times:
 * stream header, blocks, index (records, padding, CRC32), stream footer. Every part must have been
 * made with the same check type.
 */
export function joinXzBlocks(parts: { xz: string; repeat?: number }[], out: string): { blocks: number; uncompressed: bigint } {
  const read = parts.map((p) => ({ ...xzBlocks(p.xz), repeat: p.repeat ?? 1 }));
  const flags = read[0].flags;
  if (read.some((r) => r.flags[0] !== flags[0] || r.flags[1] !== flags[1])) throw new Error('xz parts differ in check type');
  const fd = openSync(out, 'w');
  try {
    const header = new Uint8Array([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00, flags[0], flags[1], ...le32(crc32(flags))]);
    writeSync(fd, header);
    const records: number[] = [];
    let blocks = 0;
    let uncompressed = 0n;
    for (const part of read) {
      const bytes = Buffer.concat(part.blocks.map((b) => b.bytes));
      const record = part.blocks.flatMap((b) => [...vli(b.unpadded), ...vli(b.uncompressed)]);
      for (let i = 0; i < part.repeat; i++) {
        writeSync(fd, bytes);
        records.push(...record);
      }
      blocks += part.blocks.length * part.repeat;
      uncompressed += part.blocks.reduce((n, b) => n + b.uncompressed, 0n) * BigInt(part.repeat);
    }
    const index = [0x00, ...vli(BigInt(blocks)), ...records];
    while (index.length % 4 !== 0) index.push(0);
    const indexBytes = new Uint8Array([...index, ...le32(crc32(new Uint8Array(index)))]);
    writeSync(fd, indexBytes);
    const backward = new Uint8Array([...le32(indexBytes.length / 4 - 1), flags[0], flags[1]]);
    writeSync(fd, new Uint8Array([...le32(crc32(backward)), ...backward, 0x59, 0x5a]));
    return { blocks, uncompressed };
  } finally {
    closeSync(fd);
  }
}

// ---- gzip (RFC 1952) from pigz's chunks ------------------------------------------------------

function gzipBody(gz: Uint8Array): { header: Uint8Array; body: Uint8Array } {
  const flg = gz[3];
  let pos = 10;
  if (flg & 4) pos += 2 + gz[pos] + (gz[pos + 1] << 8);
  if (flg & 8) pos = gz.indexOf(0, pos) + 1;
  if (flg & 16) pos = gz.indexOf(0, pos) + 1;
  if (flg & 2) pos += 2;
  return { header: gz.subarray(0, pos), body: gz.subarray(pos, gz.length - 8) };
}

// CRC-32 (the gzip polynomial, reflected) of data followed by zeros, without reading the zeros:
// appending a zero byte multiplies the (uninverted) register by x^8 modulo the polynomial, so n
// zero bytes multiply it by x^(8n), computed by repeated squaring (as zlib's crc32_combine does).
// Kept apart from the core's crc32ShiftZeros on purpose: a fixture must not share the code it tests.
const POLY = 0xedb88320;

function mulModP(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(8n) modulo the polynomial, in the reflected representation (x^0 is 0x80000000). */
function xPow8n(n: number): number {
  let result = 0x80000000;
  let square = 0x00800000; // x^8
  for (let k = n; k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = mulModP(square, result);
    square = mulModP(square, square);
  }
  return result;
}

/** CRC-32 of `data` followed by `zeros` zero bytes. */
export function crc32ThenZeros(data: Uint8Array, zeros: number): number {
  return ~mulModP(xPow8n(zeros), ~crc32(data) >>> 0) >>> 0;
}

/**
 * One gzip member, as pigz writes it, of `head` followed by zeros up to `size` bytes. pigz
 * compresses in chunks (128 KiB by default), each with the 32 KiB before it as its dictionary and
 * ended on a byte boundary; once a chunk of zeros follows zeros, every further chunk of zeros is
 * compressed to the same bytes U. So pigz's output for `head` + k chunks of zeros (`a`) and for
 * `head` + k+1 chunks (`b`) differ by one U inserted where the two stop agreeing; the image of
 * `size` bytes is `a` with as many U as its extra chunks, and a trailer with the CRC of the whole
 * and the size modulo 2^32 (RFC 1952's ISIZE). The deflate bytes all come from pigz.
 */
export function pigzZeroExtend(a: Uint8Array, b: Uint8Array, head: Uint8Array, chunkSize: number, size: number, out: string): void {
  const A = gzipBody(a);
  const B = gzipBody(b).body;
  const d = B.length - A.body.length;
  let cp = 0;
  while (cp < A.body.length && A.body[cp] === B[cp]) cp++;
  const u = B.subarray(cp, cp + d);
  if (d <= 0 || Buffer.compare(B.subarray(cp + d), A.body.subarray(cp)) !== 0) throw new Error('pigz outputs do not differ by one repeated chunk');
  const aSize = Number(new DataView(a.buffer, a.byteOffset + a.length - 4).getUint32(0, true));
  const extra = (size - aSize) / chunkSize;
  if (!Number.isInteger(extra) || extra < 0) throw new Error('size must be the first sample’s size plus whole chunks');
  const fd = openSync(out, 'w');
  try {
    writeSync(fd, A.header);
    writeSync(fd, A.body.subarray(0, cp));
    const run = Buffer.concat(Array.from({ length: 1024 }, () => u));
    for (let left = extra; left > 0; left -= 1024) writeSync(fd, run, 0, Math.min(left, 1024) * d);
    writeSync(fd, A.body.subarray(cp));
    writeSync(fd, new Uint8Array([...le32(crc32ThenZeros(head, size - head.length)), ...le32(size % 2 ** 32)]));
  } finally {
    closeSync(fd);
  }
}
