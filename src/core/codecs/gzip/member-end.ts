import { lengthFromLow32 } from '../deflate/crc-delta.ts';
import type { CodecInput } from '../kit/open.ts';
import type { Progress } from '../kit/progress.ts';
import { parseGzipTrailer } from './header.ts';
import { GzipWalker, type GzipMember } from './walker.ts';

/** Where a member's deflate data ends, what its trailer says, and its real decoded length. */
export interface MemberEnd {
  /** Input offset of the 8-byte trailer. */
  at: number;
  crc: number;
  isize: number;
  length: number;
}

/** Deflate's largest expansion (258-byte matches coded in 2 bits): bounds a length from compressed bytes. */
const MAX_RATIO = 1032;
/**
 * A trailer length this far above the hinted size means the trailer is not this member's. Real
 * images end within a few MiB of their last partition (GPT's backup table, alignment); the window
 * is kept small because a truncated file's "trailer" is 8 bytes of deflate data whose ISIZE lands
 * in it by chance (16 MiB in 4 GiB: 1 in 256), and then the splice copies the damage unread (the
 * output is no worse than the input, but not caught). `verifyInput` catches every case.
 */
const HINT_SLACK = 16 * 2 ** 20;

/** The end of a member that has ended while decoding (its trailer was read and checked). */
export function endedMember(m: GzipMember): MemberEnd | null {
  return m.trailer ? { ...m.trailer, length: m.scanner.decoded } : null;
}

/**
 * The fast path (random access): the file's last 8 bytes as the trailer of `m`, when that is the
 * only reading that fits — `m` is the only member seen, and ISIZE (the length mod 2^32) resolves
 * to a length just above the hint (the end of the last partition, a lower bound of the image) that
 * the remaining compressed bytes can hold. Anything else (no hint, a later member, trailing
 * garbage, a truncated file) returns null: the caller decodes the member instead.
 */
export async function trailerAtEnd(ci: CodecInput, m: GzipMember, memberCount: number, imageSizeHint: number | undefined): Promise<MemberEnd | null> {
  const at = ci.size - 8;
  // Without a hint a later member's trailer (`cat a.gz b.gz`) would look just as plausible.
  if (imageSizeHint === undefined || memberCount !== 1 || at < m.scanner.end) return null;
  const t = parseGzipTrailer(await ci.input.read(at, 8));
  const max = m.scanner.decoded + MAX_RATIO * (at - m.scanner.end + 1024);
  const hint = imageSizeHint - m.uStart;
  const length = lengthFromLow32(t.isize, Math.max(m.scanner.decoded, hint));
  if (length > max || length - hint >= HINT_SLACK) return null;
  return { at, crc: t.crc, isize: t.isize, length };
}

/**
 * The slow path: decodes member `m` alone from its header (a fresh walker, nothing held) to its
 * trailer, which is checked. Used for multi-member files and whenever the fast path cannot tell.
 */
export async function decodeMemberEnd(ci: CodecInput, m: GzipMember, progress: Progress, signal?: AbortSignal): Promise<MemberEnd> {
  const walker = new GzipWalker(ci.reader(m.header.start, ci.size, progress, signal), { keepMembers: false, engine: ci.options.inflate });
  await walker.start();
  const first = walker.current;
  while (!first.trailer) if (!(await walker.step())) break;
  return endedMember(first)!;
}

/** Decodes the whole input (every member checked), for verifyInput: the end of every member by header offset. */
export async function verifyAll(ci: CodecInput, progress: Progress, signal?: AbortSignal): Promise<{ ends: Map<number, MemberEnd>; imageSize: number }> {
  const ends = new Map<number, MemberEnd>();
  const walker = new GzipWalker(ci.reader(0, ci.size, progress, signal), {
    keepMembers: false,
    engine: ci.options.inflate,
    onMemberEnd: (m) => void ends.set(m.header.start, endedMember(m)!),
  });
  await walker.start();
  while (await walker.step());
  return { ends, imageSize: walker.decoded };
}
