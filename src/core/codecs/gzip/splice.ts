import { throwIfAborted } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { RecipeBuilder } from '../../io/recipe.ts';
import type { SpliceOptions, SpliceResult } from '../codec.ts';
import { patchCrc } from '../deflate/crc-delta.ts';
import { BitWriter, decodeFarEnough, emitSplicedStream } from '../deflate/edges.ts';
import { planMember, splitChanges, type MemberPlan } from '../deflate/member-plan.ts';
import { checkChanges } from '../kit/changes.ts';
import type { DecodedHead } from '../kit/decoded-head.ts';
import type { CodecInput } from '../kit/open.ts';
import { gzipTrailer } from './header.ts';
import { decodeMemberEnd, endedMember, trailerAtEnd, verifyAll, type MemberEnd } from './member-end.ts';
import type { GzipMember, GzipWalker } from './walker.ts';

export interface GzipState {
  ci: CodecInput;
  /** The walker behind `head` (the lazily decoded image). */
  walker: GzipWalker;
  head: DecodedHead;
  /** Decoded bytes of passes other than the head (member ends, verification). */
  extraDecoded: number;
}

interface MemberSplice extends MemberPlan {
  member: GzipMember;
}

/**
 * gzip splice as a recipe (tech-notes §3.3): decode the head until every change can be closed by a
 * boundary, re-encode only those segments, and take everything else from the input. Each spliced
 * member gets a new trailer: its CRC-32 patched arithmetically (§3.4) from the old one, which needs
 * the member's real length. A member that ended while decoding has it; for the member holding the
 * last change, the file's last 8 bytes are its trailer when that is the only reading that fits
 * (random access: nothing between is read), else the member is decoded to its end.
 */
export async function spliceGzip(st: GzipState, changes: readonly ChangedRange[], options: SpliceOptions): Promise<SpliceResult> {
  const { ci, walker, head } = st;
  checkChanges(changes, head.size);
  const progress = ci.progress(options.onProgress);
  progress.phase = 'decode';
  await decodeFarEnough(head, changes, (pos) => walker.memberAt(pos), options.signal);
  throwIfAborted(options.signal);
  let verified: Awaited<ReturnType<typeof verifyAll>> | undefined;
  if (options.verifyInput) {
    progress.phase = 'verify';
    verified = await verifyAll(ci, progress, options.signal);
    st.extraDecoded += verified.imageSize;
  }
  const plans = await planMembers(st, changes);

  const out = new RecipeBuilder();
  const bits = new BitWriter(out, ci.input);
  let cursor = 0;
  let lastEnd: { member: GzipMember; end: MemberEnd } | undefined;
  for (const plan of plans) {
    const m = plan.member;
    await bits.copyBits(cursor * 8, m.scanner.start * 8);
    const end = verified?.ends.get(m.header.start) ?? endedMember(m) ?? (await tailEnd(st, m, options, progress));
    await emitSplicedStream(out, bits, plan, m.scanner.start * 8, end.at);
    out.bytes(gzipTrailer(patchCrc(end.crc, end.length, plan.deltas), end.isize));
    cursor = end.at + 8;
    lastEnd = { member: m, end };
  }
  out.copy(cursor, ci.size - cursor);
  progress.report(true);
  return {
    recipe: out.finish(),
    imageSize: verified?.imageSize ?? imageSizeFrom(st, lastEnd),
    decodedBytes: head.decodedLength + st.extraDecoded,
    reencodedBytes: plans.reduce((n, p) => n + p.reencoded, 0),
  };
}

/** One plan per member holding changes (changes that cross a member's end are split there). */
async function planMembers(st: GzipState, changes: readonly ChangedRange[]): Promise<MemberSplice[]> {
  const { walker, head } = st;
  const pieces = splitChanges(changes, (pos) => {
    const m = walker.memberAt(pos);
    return m.trailer ? m.uStart + m.scanner.decoded : Number.POSITIVE_INFINITY;
  });
  const plans: MemberSplice[] = [];
  for (const p of pieces) {
    const member = walker.memberAt(p.offset);
    if (plans.length && plans[plans.length - 1].member === member) continue;
    const mine = pieces.filter((q) => walker.memberAt(q.offset) === member);
    plans.push({ member, ...(await planMember(head, st.ci.input, member.scanner, member.uStart, mine)) });
  }
  return plans;
}

/** The end of the member holding the last change, which has not ended in the head. */
async function tailEnd(st: GzipState, m: GzipMember, options: SpliceOptions, progress: ReturnType<CodecInput['progress']>): Promise<MemberEnd> {
  const fast = await trailerAtEnd(st.ci, m, st.walker.memberCount, options.imageSizeHint);
  if (fast) return fast;
  const end = await decodeMemberEnd(st.ci, m, progress, options.signal);
  st.extraDecoded += end.length;
  return end;
}

function imageSizeFrom(st: GzipState, last: { member: GzipMember; end: MemberEnd } | undefined): number {
  if (st.walker.done) return st.walker.decoded;
  if (last && last.end.at + 8 === st.ci.size) return last.member.uStart + last.end.length;
  return st.head.size;
}
