import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { applyChanges } from '../kit/changes.ts';
import type { DeflateScanner } from './engine.ts';
import { crcDelta, type CrcDelta } from './crc-delta.ts';
import { deflateRegion, planSegments, type SpliceSegment } from './splice.ts';

/** What a splice does inside one deflate stream: re-encoded segments and the CRC deltas. */
export interface MemberPlan {
  segments: SpliceSegment[];
  deltas: CrcDelta[];
  /** Decoded bytes re-encoded. */
  reencoded: number;
}

const READ_PIECE = 1 << 20;

/**
 * Plans and re-encodes the splice of one deflate stream whose decoded bytes start at image offset
 * `uStart` (`input`: the compressed file, read for the blocks cut mid-way). `changes` are in image
 * coordinates and lie inside this stream; the scanner must have decoded past every change far
 * enough to end a segment (`canEndAfter`).
 */
export async function planMember(head: ByteSource, input: ByteSource, scanner: DeflateScanner, uStart: number, changes: readonly ChangedRange[]): Promise<MemberPlan> {
  const ranges: { lo: number; hi: number }[] = [];
  const deltas: CrcDelta[] = [];
  for (const c of changes) {
    const old = await head.read(c.offset, c.bytes.length);
    deltas.push(crcDelta(old, c.bytes, c.offset - uStart + c.bytes.length));
    differing(old, c.bytes, c.offset - uStart, ranges);
  }
  const segments = await planSegments(ranges, scanner, input);
  let reencoded = 0;
  for (const s of segments) {
    const from = uStart + s.from.u;
    const to = uStart + (s.to ? s.to.u : scanner.decoded);
    const parts: Uint8Array[] = [];
    for (let p = from; p < to; p += READ_PIECE) {
      const n = Math.min(READ_PIECE, to - p);
      parts.push(applyChanges(await head.read(p, n), p, changes));
    }
    s.deflated = deflateRegion(parts, s.to === null);
    reencoded += to - from;
  }
  return { segments, deltas, reencoded };
}

/** Gaps of equal bytes shorter than this do not split a changed range (each range costs a cut). */
const SAME_GAP = 64;

/**
 * Appends the ranges (offset `at` + index) where `old` and `now` differ: a change rewrites whole
 * sectors, of which often only a few bytes differ, and only those need re-encoding.
 */
function differing(old: Uint8Array, now: Uint8Array, at: number, out: { lo: number; hi: number }[]): void {
  let i = 0;
  const n = now.length;
  for (;;) {
    while (i < n && old[i] === now[i]) i++;
    if (i === n) return;
    const lo = i;
    let hi = i + 1;
    for (i = hi; i < n && i - hi < SAME_GAP; i++) if (old[i] !== now[i]) hi = i + 1;
    const last = out[out.length - 1];
    if (last && last.hi + SAME_GAP > at + lo) last.hi = at + hi;
    else out.push({ lo: at + lo, hi: at + hi });
    i = hi;
  }
}

/** Splits image-coordinate changes at stream boundaries: `streamEnd(pos)` = end of the stream holding pos. */
export function splitChanges(changes: readonly ChangedRange[], streamEnd: (pos: number) => number): ChangedRange[] {
  const out: ChangedRange[] = [];
  for (const c of changes) {
    let pos = c.offset;
    const end = c.offset + c.bytes.length;
    while (pos < end) {
      const stop = Math.min(end, streamEnd(pos));
      out.push({ offset: pos, bytes: c.bytes.subarray(pos - c.offset, stop - c.offset) });
      pos = stop;
    }
  }
  return out;
}
