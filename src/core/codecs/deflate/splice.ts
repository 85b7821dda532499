import { Deflate, Z_FINISH, Z_SYNC_FLUSH } from 'pako';
import { CoreError } from '../../errors.ts';
import type { BitWriter } from './bit-writer.ts';
import type { BlockScanner, Boundary } from './block-scanner.ts';

/** Deflate's window: a copied block may reference this many bytes before it (RFC 1951 §2). */
export const WINDOW = 32 * 1024;

/** A re-encoded region [from.u, to.u) of one deflate stream; `to` null = through the final block. */
export interface SpliceSegment {
  from: Boundary;
  to: Boundary | null;
  /** Raw deflate of the new decoded bytes of the region (non-final unless `to` is null). */
  deflated?: Uint8Array;
}

/** True when the scanner has decoded far enough to end a segment covering bytes before `hi`. */
export function canEndAfter(scanner: BlockScanner, hi: number): boolean {
  return scanner.ended || scanner.findEnd(hi + WINDOW) !== undefined;
}

/**
 * Segments for stream-local changed ranges (tech-notes §3.3 step 3): J = last boundary ≤ lo,
 * K = first boundary ≥ hi + 32 KiB (any bit residue: see writeFiller), overlapping segments merged.
 */
export function planSegments(ranges: readonly { lo: number; hi: number }[], scanner: BlockScanner): SpliceSegment[] {
  const out: SpliceSegment[] = [];
  for (const r of ranges) {
    const from = scanner.findStart(r.lo);
    const to = scanner.findEnd(r.hi + WINDOW) ?? null;
    if (to === null && !scanner.ended) throw new Error('planSegments: stream not decoded far enough');
    const prev = out[out.length - 1];
    if (prev && (prev.to === null || from.u <= prev.to.u)) {
      if (prev.to !== null && (to === null || to.u > prev.to.u)) prev.to = to;
    } else out.push({ from, to });
  }
  return out;
}

/** Raw deflate, level 6 (pako), ending with a sync flush (byte-aligned, non-final) or a final block. */
export function deflateRegion(parts: readonly Uint8Array[], final: boolean): Uint8Array {
  const d = new Deflate({ level: 6, raw: true });
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
  let residue = bit % 8;
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
    await w.copyBits(inBit, s.from.bit);
    w.alignWithStoredBlock();
    w.writeBytes(s.deflated!);
    if (s.to === null) return null;
    writeFiller(w, s.to.bit);
    inBit = s.to.bit;
  }
  return inBit;
}
