import { throwIfAborted, shownName } from '../../errors.ts';
import type { ByteSource } from '../../io/byte-source.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { RecipeBuilder, type OutputRecipe } from '../../io/recipe.ts';
import type { SpliceOptions, SpliceResult } from '../codec.ts';
import type { DeflateScanner } from '../deflate/engine.ts';
import { crcDelta, patchCrc } from '../deflate/crc-delta.ts';
import { BitWriter, decodeFarEnough, emitSplicedStream } from '../deflate/edges.ts';
import { planMember, type MemberPlan } from '../deflate/member-plan.ts';
import { checkChanges } from '../kit/changes.ts';
import type { DecodedHead } from '../kit/decoded-head.ts';
import { corrupt } from '../kit/errors.ts';
import type { CodecInput } from '../kit/open.ts';
import type { Progress } from '../kit/progress.ts';
import { patchCentralDirectory } from './central.ts';
import type { ZipEnd } from './eocd.ts';
import { memberDecoder, storedCrc, type ZipImage } from './member.ts';
import { patchDescriptor, patchLocalHeader, readAt } from './records.ts';

export interface ZipState {
  ci: CodecInput;
  end: ZipEnd;
  img: ZipImage;
  /** The decoded image: the head of a deflated member, or the stored data itself. */
  image: ByteSource;
  /** Deflated members only: the head and the scanner behind it. */
  deflated: { head: DecodedHead; scanner: DeflateScanner } | null;
  extraDecoded: number;
}

/**
 * ZIP splice as a recipe: the image member's deflate data is spliced like a gzip member
 * (tech-notes §3.3, §3.5 "ZIP"); its local header (or data descriptor), its central directory entry
 * and every offset after it are rewritten; everything else — other members, the image's untouched
 * compressed data — is taken from the input. The image's length and CRC come from the central
 * directory (checked against the local header at open), so the tail is never read unless
 * `verifyInput` asks for it.
 */
export async function spliceZip(st: ZipState, changes: readonly ChangedRange[], options: SpliceOptions): Promise<SpliceResult> {
  const { ci, img, end } = st;
  const entry = img.entry;
  checkChanges(changes, entry.size);
  const progress = ci.progress(options.onProgress);
  progress.phase = 'decode';
  const data = new RecipeBuilder();
  let plan: MemberPlan;
  if (st.deflated) {
    const { head, scanner } = st.deflated;
    await decodeFarEnough(head, changes, () => ({ scanner, uStart: 0 }), options.signal);
    plan = await planMember(head, ci.input, scanner, 0, changes);
    await emitSplicedStream(data, new BitWriter(data, ci.input), plan, img.dataStart * 8, img.dataEnd);
  } else {
    plan = await storedPlan(st.image, changes, data, img.dataStart, img.dataEnd);
  }
  throwIfAborted(options.signal);
  if (options.verifyInput) await verifyMember(st, progress, options.signal);

  const newData = data.finish();
  const crc = patchCrc(entry.crc, entry.size, plan.deltas);
  const out = new RecipeBuilder();
  out.copy(0, img.local.offset);
  // With a data descriptor the local header carries no CRC or sizes (APPNOTE 4.4.4): kept as is.
  out.bytes(img.descriptor ? img.local.bytes : patchLocalHeader(img.local, crc, newData.size));
  append(out, newData);
  if (img.descriptor) out.bytes(patchDescriptor(img.descriptor, crc, newData.size));
  out.copy(img.recordEnd, end.cdOffset - img.recordEnd);
  const central = await readAt(ci.input, end.cdOffset, ci.size - end.cdOffset, 'the zip central directory');
  const delta = newData.size - entry.compressedSize;
  out.bytes(patchCentralDirectory(central, { imageOffset: img.local.offset, crc, compressedSize: newData.size, delta, cdOffset: end.cdOffset }));
  progress.report(true);
  return {
    recipe: out.finish(),
    imageSize: entry.size,
    decodedBytes: (st.deflated?.head.decodedLength ?? 0) + st.extraDecoded,
    reencodedBytes: plan.reencoded,
  };
}

/** A stored image: the data with the changed ranges as new bytes; no re-encoding, CRC patched. */
async function storedPlan(image: ByteSource, changes: readonly ChangedRange[], data: RecipeBuilder, start: number, end: number): Promise<MemberPlan> {
  const deltas = [];
  let pos = start;
  for (const c of changes) {
    deltas.push(crcDelta(await image.read(c.offset, c.bytes.length), c.bytes, c.offset + c.bytes.length));
    data.copy(pos, start + c.offset - pos);
    data.bytes(c.bytes);
    pos = start + c.offset + c.bytes.length;
  }
  data.copy(pos, end - pos);
  return { segments: [], deltas, reencoded: 0 };
}

/** verifyInput: decodes (or reads) the whole member in a fresh pass and checks CRC and length. */
async function verifyMember(st: ZipState, progress: Progress, signal?: AbortSignal): Promise<void> {
  const { ci, img } = st;
  progress.phase = 'verify';
  if (!st.deflated) {
    if ((await storedCrc(ci.input, img)) !== img.entry.crc) throw corrupt(`Zip member ${shownName(img.entry.name)} is corrupt: its CRC-32 does not match the archive's.`, { member: img.entry.name });
    return;
  }
  const { pull } = memberDecoder(img, ci.reader(img.dataStart, img.dataEnd, progress, signal), { engine: ci.options.inflate });
  for (let c = await pull(); c; c = await pull()) st.extraDecoded += c.length;
}

function append(out: RecipeBuilder, r: OutputRecipe): void {
  for (const s of r.segments) {
    if (s.kind === 'input') out.copy(s.offset, s.length);
    else out.bytes(s.bytes);
  }
}
