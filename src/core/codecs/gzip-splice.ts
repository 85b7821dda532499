import { CoreError } from '../errors.ts';
import type { ChangedRange } from '../io/overlay.ts';
import type { WriteOptions } from './stream-codec.ts';
import type { DecodedHead } from './decoded-head.ts';
import { BitWriter } from './deflate/bit-writer.ts';
import { lengthFromLow32, patchCrc } from './deflate/crc-delta.ts';
import { planMember, splitChanges, type MemberPlan } from './deflate/member-plan.ts';
import { canEndAfter, emitSegments } from './deflate/splice.ts';
import { gzipTrailer, parseGzipTrailer } from './gzip-header.ts';
import type { GzipMember, GzipWalker } from './gzip-walker.ts';
import { copyInput, copyRest } from './stream-copy.ts';
import { decodeThroughChanges, type OutputWriter } from './stream-output.ts';
import type { InputReader } from './stream-reader.ts';

export interface GzipState {
  reader: InputReader;
  walker: GzipWalker;
  head: DecodedHead;
  inputSize?: number;
}

interface MemberSplice extends MemberPlan {
  member: GzipMember;
}

const TWO32 = 2 ** 32;
/** Deflate's largest expansion (258-byte matches coded in 2 bits): bounds a length from compressed bytes. */
const MAX_RATIO = 1032;
/** A trailer length this far above the hinted image size means the trailer is not ours (truncated input, another member). */
const HINT_SLACK = 256 * 2 ** 20;

/**
 * gzip splice (tech-notes §3.3): decode until every change can be closed by a boundary, re-encode
 * only those segments, copy everything else. The member holding the last change may not have
 * ended yet: its tail is then either copied as it arrives ("copy" — the trailer is the last 8
 * bytes of the input) or decoded while being copied ("decode" — when verifying, when the input
 * is known to hold several members, or when ISIZE cannot tell the length).
 */
export async function spliceGzip(st: GzipState, changes: readonly ChangedRange[], w: OutputWriter, options: WriteOptions): Promise<{ imageSize: number; reencodedBytes: number }> {
  const { reader, walker, head } = st;
  await decodeFarEnough(st, changes);
  const resume = reader.position;
  const pieces = splitChanges(changes, (pos) => {
    const m = walker.memberAt(pos);
    return m.trailer ? m.uStart + m.scanner.decoded : Number.POSITIVE_INFINITY;
  });
  const plans: MemberSplice[] = [];
  for (const p of pieces) {
    const member = walker.memberAt(p.offset);
    if (plans.length && plans[plans.length - 1].member === member) continue;
    const mine = pieces.filter((q) => walker.memberAt(q.offset) === member);
    plans.push({ member, ...(await planMember(head, member.scanner, member.uStart, mine)) });
  }
  const reencodedBytes = plans.reduce((n, p) => n + p.reencoded, 0);

  const bits = new BitWriter(w);
  let cursor = 0;
  let tail: { plan: MemberSplice; bit: number } | null = null;
  for (const plan of plans) {
    const m = plan.member;
    await bits.copyBits(reader, cursor * 8, m.scanner.start * 8);
    const tailBit = await emitSegments(bits, reader, plan.segments, m.scanner.start * 8);
    if (!m.trailer) {
      tail = { plan, bit: tailBit! };
      break;
    }
    if (tailBit !== null) await bits.copyBits(reader, tailBit, m.trailer.at * 8);
    await bits.writeBytes(gzipTrailer(patchCrc(m.trailer.crc, m.scanner.decoded, plan.deltas), m.trailer.isize));
    cursor = m.trailer.at + 8;
  }
  if (!tail) {
    await copyRest(reader, w, cursor);
    head.release();
    return { imageSize: walker.done ? walker.decoded : Number.POSITIVE_INFINITY, reencodedBytes };
  }
  const m = tail.plan.member;
  const decode = options.verifyInput || walker.members.length > 1 || ambiguousLength(st, m, options);
  // The seam byte: our pending bits OR-merged with the original byte (tech-notes §3.3 step 4.6).
  const seam = Math.floor(tail.bit / 8);
  reader.seek(seam);
  const first = await reader.readExact(1, 'the gzip data');
  await w.write(bits.mergeSeam(first[0], tail.bit) ?? first.slice());
  let imageSize: number;
  if (decode) imageSize = await decodeTail(st, tail.plan, seam + 1, resume, w);
  else imageSize = m.uStart + (await copyTail(reader, w, tail.plan, options.imageSizeHint === undefined ? undefined : options.imageSizeHint - m.uStart));
  head.release();
  return { imageSize, reencodedBytes };
}

/** Decodes until every change lies before a usable segment end (or its member has ended). */
async function decodeFarEnough(st: GzipState, changes: readonly ChangedRange[]): Promise<void> {
  const hi = await decodeThroughChanges(st.head, changes);
  if (hi === 0) return;
  for (;;) {
    const m = st.walker.memberAt(hi - 1);
    if (canEndAfter(m.scanner, hi - m.uStart)) return;
    await st.head.ensure(st.head.decodedLength + 1);
  }
}

/** True when ISIZE alone cannot give the member's length and no hint says which it is. */
function ambiguousLength(st: GzipState, m: GzipMember, options: WriteOptions): boolean {
  if (options.imageSizeHint !== undefined) return false;
  if (st.inputSize === undefined) return true;
  const remaining = st.inputSize - m.scanner.end;
  return m.scanner.decoded + MAX_RATIO * remaining >= TWO32;
}

/** Copies the rest of the input as it arrives; the last 8 bytes are the member's trailer. */
async function copyTail(reader: InputReader, w: OutputWriter, plan: MemberSplice, hint: number | undefined): Promise<number> {
  reader.retain = false;
  reader.dropBefore(reader.position);
  let hold: Uint8Array = new Uint8Array(0);
  for (;;) {
    const c = await reader.next();
    if (!c) break;
    if (hold.length + c.length <= 8) {
      const h = new Uint8Array(hold.length + c.length);
      h.set(hold);
      h.set(c, hold.length);
      hold = h;
      continue;
    }
    if (c.length >= 8) {
      await w.write(hold);
      await w.write(c.subarray(0, c.length - 8));
      hold = c.slice(c.length - 8);
    } else {
      const keep = hold.length + c.length - 8;
      await w.write(hold.slice(0, keep));
      const h = new Uint8Array(8);
      h.set(hold.subarray(keep));
      h.set(c, 8 - c.length);
      hold = h;
    }
    reader.dropBefore(reader.position);
  }
  if (hold.length < 8) throw new CoreError('ARCHIVE_CORRUPT', 'The gzip data ends early, inside its trailer: it is truncated.', { reason: 'truncated' });
  const t = parseGzipTrailer(hold);
  const min = Math.max(plan.member.scanner.decoded, hint ?? 0);
  const length = lengthFromLow32(t.isize, min);
  if (hint !== undefined && length - hint >= HINT_SLACK) {
    throw new CoreError(
      'SPLICE_IMPOSSIBLE',
      `The gzip trailer gives a length (${t.isize} mod 2^32) that does not fit the image size (at least ${hint} bytes): the file is truncated or holds several gzip members; write it with input verification to decode it fully.`,
    );
  }
  await w.write(gzipTrailer(patchCrc(t.crc, length, plan.deltas), t.isize));
  return length;
}

/**
 * Decodes the rest of the input (checking every member's CRC and length) while copying it: the
 * copy trails the decoder and replaces the spliced member's trailer once the decoder reaches it.
 */
async function decodeTail(st: GzipState, plan: MemberSplice, copyFrom: number, resume: number, w: OutputWriter): Promise<number> {
  const { reader, walker } = st;
  const m = plan.member;
  reader.seek(resume);
  let copyPos = copyFrom;
  let trailerDone = false;
  for (;;) {
    const chunk = await walker.step();
    if (!trailerDone && m.trailer) {
      copyPos = await copyInput(reader, w, copyPos, m.trailer.at);
      await w.write(gzipTrailer(patchCrc(m.trailer.crc, m.scanner.decoded, plan.deltas), m.trailer.isize));
      copyPos = m.trailer.at + 8;
      trailerDone = true;
    }
    if (!chunk) break;
    const safe = trailerDone ? reader.position : m.scanner.end;
    copyPos = await copyInput(reader, w, copyPos, safe);
  }
  await copyRest(reader, w, copyPos);
  return walker.decoded;
}
