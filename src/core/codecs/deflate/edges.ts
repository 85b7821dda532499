import { CoreError } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import type { RecipeBuilder } from '../../io/recipe.ts';
import { changesEnd } from '../kit/changes.ts';
import type { DecodedHead } from '../kit/decoded-head.ts';
import { BitWriter } from './bit-writer.ts';
import type { DeflateScanner } from './engine.ts';
import type { MemberPlan } from './member-plan.ts';
import { canEndAfter, emitSegments } from './splice.ts';

/**
 * The edges every deflate container (gzip member, zip member) shares around the splice itself,
 * so gzip and zip keep one copy of each.
 */

/** A deflate stream inside the image: its scanner and the image offset of its first decoded byte. */
export interface StreamAt {
  scanner: DeflateScanner;
  uStart: number;
}

/**
 * Decodes the head until every change lies before a usable segment end (a block boundary ≥ 32 KiB
 * after it) or its stream has ended. A change past the image is IO_OUT_OF_RANGE.
 */
export async function decodeFarEnough(head: DecodedHead, changes: readonly ChangedRange[], streamAt: (pos: number) => StreamAt, signal?: AbortSignal): Promise<void> {
  const hi = changesEnd(changes);
  if (hi === 0) return;
  await head.ensure(hi, signal);
  if (head.decodedLength < hi) {
    throw new CoreError('IO_OUT_OF_RANGE', `A change ends at byte ${hi}, past the end of the image (${head.decodedLength} bytes).`);
  }
  for (;;) {
    const s = streamAt(hi - 1);
    if (canEndAfter(s.scanner, hi - s.uStart)) return;
    const before = head.decodedLength;
    await head.ensure(before + 1, signal);
    // The image ended without a usable boundary: the stream's end (final block) closes the segment.
    if (head.decodedLength === before) return;
  }
}

/**
 * Emits one spliced deflate stream into `out`: original bits from `startBit`, the re-encoded
 * segments, the OR-merged seam byte, then the original bytes up to `endByte` (the stream's end in
 * the input: a gzip trailer, the end of a zip member's data) as one input range.
 */
export async function emitSplicedStream(out: RecipeBuilder, bits: BitWriter, plan: MemberPlan, startBit: number, endByte: number): Promise<void> {
  const tailBit = await emitSegments(bits, plan.segments, startBit);
  if (tailBit === null) return;
  const resume = await bits.seam(tailBit);
  out.copy(resume, endByte - resume);
}

export { BitWriter };
