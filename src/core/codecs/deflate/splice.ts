import { Deflate, Z_FINISH, Z_SYNC_FLUSH } from 'pako';
import { CoreError } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { BitWriter } from './bit-writer.ts';
import type { DeflateScanner } from './engine.ts';
import { StreamWalker, type ResumeAt } from './block-walker.ts';

/** Deflate's window: a copied block may reference this many bytes before it (RFC 1951 §2). */
export const WINDOW = 32 * 1024;

/**
 * Where a re-encoded region starts (RFC 1951 §3.2.3): the original stream is copied up to `bit`
 * and then closed there —
 * - 'boundary': `bit` is a block boundary, nothing to close;
 * - 'huffman': `bit` is a symbol inside a Huffman block, closed with that block's own end-of-block
 *   code (`eob`, as written); in the stream's final block its BFINAL bit (at `finalBit`) is
 *   cleared on the way, since the re-encoded data follows it;
 * - 'stored': `bit` is a stored block's header, rewritten as a non-final stored block of the
 *   `length` bytes at input byte `data` that lie before the cut.
 * `u` = stream-local decoded offset where the re-encoded bytes start.
 */
export type Cut =
  | { kind: 'boundary'; bit: number; u: number }
  | { kind: 'huffman'; bit: number; u: number; eob: { value: number; n: number }; finalBit?: number }
  | { kind: 'stored'; bit: number; u: number; data: number; length: number };

/** The first input bit a cut rewrites (a stored or final block's header): a resume must lie before it. */
function cutTouches(c: Cut): number {
  return c.kind === 'huffman' && c.finalBit !== undefined ? c.finalBit : c.bit;
}

/**
 * Where the original stream resumes after a re-encoded region: copying continues at input bit
 * `bit` (decoded offset `u`), after —
 * - 'boundary': empty filler blocks that bring the output to `bit`'s residue;
 * - 'huffman': a copy of the block's header bits (its BFINAL, BTYPE and code tables; `headerBits`
 *   long), preceded by filler so that after the header the residue is `bit`'s: the block goes on
 *   mid-way with its own codes, from the symbol at `bit`;
 * - 'stored': a new stored block header (BFINAL as the original) for the `length` bytes left.
 */
export type Resume = ResumeAt;

/** A re-encoded region [from.u, to.u) of one deflate stream; `to` null = through the final block. */
export interface SpliceSegment {
  from: Cut;
  to: Resume | null;
  /** Raw deflate of the new decoded bytes of the region (non-final unless `to` is null). */
  deflated?: Uint8Array;
}

/**
 * True when the scanner has decoded far enough to plan a segment for a change ending before `hi`:
 * past it (its block is then known; the walk to the resume point reads the input itself), or to
 * the stream's end.
 */
export function canEndAfter(scanner: DeflateScanner, hi: number): boolean {
  return scanner.ended || scanner.decoded > hi;
}

/**
 * The cut before stream-local offset `lo`: the symbol holding `lo` in the block holding it (a cut
 * at a block's first symbol is its boundary).
 */
export async function planCut(walker: StreamWalker, scanner: DeflateScanner, lo: number): Promise<Cut> {
  const j = scanner.findStart(lo);
  const boundary: Cut = { kind: 'boundary', bit: j.bit, u: j.u };
  if (j.u === lo) return boundary;
  const w = await walker.cut(j.bit, j.u, lo);
  if (w.before.u === j.u) return boundary;
  if (w.block.type === 0) return { kind: 'stored', bit: j.bit, u: w.before.u, data: w.block.storedData, length: w.before.u - j.u };
  return { kind: 'huffman', bit: w.before.bit, u: w.before.u, eob: w.block.eob, finalBit: w.block.final ? j.bit : undefined };
}

/**
 * Where to resume after the change `changed[k]` (block-walker.ts `findResume`: the first symbol
 * from which no back-reference reaches a changed byte, at most 32 KiB past the change), or null
 * when the change runs to the stream's end.
 */
export async function planResume(walker: StreamWalker, scanner: DeflateScanner, changed: readonly { lo: number; hi: number }[], k: number): Promise<Resume | null> {
  const hi = changed[k].hi;
  if (scanner.ended && hi >= scanner.decoded) return null;
  if (!canEndAfter(scanner, hi)) throw new Error('planResume: stream not decoded far enough');
  const b = scanner.findStart(hi);
  const stop = k + 1 < changed.length ? changed[k + 1].lo : Number.POSITIVE_INFINITY;
  return walker.resume(b.bit, b.u, hi, changed.slice(0, k + 1), stop);
}

/**
 * Segments for stream-local changed ranges (sorted, disjoint; tech-notes §3.3 step 3), cut inside
 * blocks: each starts at the symbol holding its first changed byte and resumes at the first symbol
 * no later back-reference makes depend on a changed byte; segments that meet are merged.
 */
export async function planSegments(ranges: readonly { lo: number; hi: number }[], scanner: DeflateScanner, input: ByteSource): Promise<SpliceSegment[]> {
  const out: SpliceSegment[] = [];
  const walker = new StreamWalker(input);
  for (let k = 0; k < ranges.length; k++) {
    const prev = out[out.length - 1];
    if (prev && prev.to === null) break;
    const from = await planCut(walker, scanner, ranges[k].lo);
    // A stored or final block's cut rewrites its header, which a resume inside that block has passed.
    if (prev && prev.to && (from.u <= prev.to.u || cutTouches(from) < prev.to.bit)) prev.to = await planResume(walker, scanner, ranges, k);
    else out.push({ from, to: await planResume(walker, scanner, ranges, k) });
  }
  return out;
}

/**
 * Raw deflate, level 6 (pako), ending with a sync flush (byte-aligned, non-final) or a final block.
 * The window and hash table are sized to the region: most regions are a few hundred bytes (a FAT
 * entry, a directory entry), and pako's full-size state (~260 KB of fresh, zeroed arrays) cost
 * ~1.5 ms each to set up — more than compressing them. A smaller window is still valid deflate
 * (the decoder's is always 32 KiB), and a region smaller than it loses nothing.
 */
export function deflateRegion(parts: readonly Uint8Array[], final: boolean): Uint8Array {
  let size = 0;
  for (const p of parts) size += p.length;
  // zlib's raw deflate takes windowBits 9–15; memLevel 1–9 (8 is the default, for windowBits 15).
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(size + 1))));
  const d = new Deflate({ level: 6, raw: true, windowBits, memLevel: windowBits - 7 });
  const chunks: Uint8Array[] = [];
  d.onData = (c: Uint8Array) => void chunks.push(c);
  if (parts.length === 0) d.push(new Uint8Array(0), final ? Z_FINISH : Z_SYNC_FLUSH);
  parts.forEach((p, i) => d.push(p, i < parts.length - 1 ? false : final ? Z_FINISH : Z_SYNC_FLUSH));
  if (d.err) throw new CoreError('INTERNAL', `Re-compressing a changed region failed (${d.msg}).`);
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const c of chunks) {
    out.set(c, n);
    n += c.length;
  }
  return out;
}

/**
 * Brings a byte-aligned stream to `bit`'s residue with empty blocks: fixed ones are 10 bits (+2 mod
 * 8), the dynamic one 95 bits (+7 mod 8), so every residue is reachable and every block boundary
 * can end a segment (with fixed blocks alone only even residues could, and a run of identical
 * blocks, e.g. of zeros, keeps one parity for megabytes).
 */
export function writeFiller(w: BitWriter, bit: number): void {
  let residue = ((bit % 8) + 8) % 8;
  if (residue % 2 === 1) {
    w.emptyDynamicBlock();
    residue = (residue + 1) % 8;
  }
  for (let k = residue / 2; k > 0; k--) w.emptyFixedBlock();
}

/**
 * Emits the spliced bit stream from input bit `startBit` through the last segment (tech-notes §3.3
 * step 4.2–4.5). Returns the input bit where the byte-wise tail copy continues, or null when the
 * final block was re-encoded (the output is then byte-aligned and the stream complete).
 */
export async function emitSegments(w: BitWriter, segments: readonly SpliceSegment[], startBit: number): Promise<number | null> {
  let inBit = startBit;
  for (const s of segments) {
    const c = s.from;
    if (c.kind === 'huffman' && c.finalBit !== undefined) {
      await w.copyBits(inBit, c.finalBit);
      w.writeBits(0, 1);
      inBit = c.finalBit + 1;
    }
    await w.copyBits(inBit, c.bit);
    if (c.kind === 'huffman') w.writeBits(c.eob.value, c.eob.n);
    else if (c.kind === 'stored') {
      w.storedHeader(false, c.length);
      await w.copyBits(8 * c.data, 8 * (c.data + c.length));
    }
    if (w.residue !== 0) w.alignWithStoredBlock();
    w.writeBytes(s.deflated!);
    const t = s.to;
    if (t === null) return null;
    if (t.kind === 'boundary') writeFiller(w, t.bit);
    else if (t.kind === 'stored') w.storedHeader(t.final, t.length);
    else {
      writeFiller(w, t.bit - t.headerBits);
      for (const piece of t.header) w.writeBits(piece.value, piece.n);
    }
    inBit = t.bit;
  }
  return inBit;
}
