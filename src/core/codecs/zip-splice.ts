import { CoreError } from '../errors.ts';
import { crc32 } from '../bytes/crc32.ts';
import type { ChangedRange } from '../io/overlay.ts';
import type { WriteOptions } from './stream-codec.ts';
import type { DecodedHead } from './decoded-head.ts';
import { BitWriter } from './deflate/bit-writer.ts';
import { crcDelta, patchCrc } from './deflate/crc-delta.ts';
import { planMember, type MemberPlan } from './deflate/member-plan.ts';
import { canEndAfter, emitSegments, predictSplice } from './deflate/splice.ts';
import { copyInput } from './stream-copy.ts';
import { applyChanges, decodeThroughChanges, type OutputWriter } from './stream-output.ts';
import type { InputReader } from './stream-reader.ts';
import { truncated } from './stream-reader.ts';
import { patchCentralDirectory } from './zip-central.ts';
import type { ZipMemberData } from './zip-member.ts';
import { patchDescriptor, patchLocalHeader } from './zip-records.ts';
import { ambiguous } from './zip-select.ts';
import type { ZipWalker } from './zip-walker.ts';

export interface ZipState {
  reader: InputReader;
  walker: ZipWalker;
  data: ZipMemberData;
  head: DecodedHead;
  chosen?: string;
}

/**
 * ZIP splice: the image member's deflate data is spliced like gzip (tech-notes §3.3, §3.5 ZIP);
 * its local header (or data descriptor), central directory entry and every offset after it are
 * updated; all other members are copied byte for byte as they stream by. The image's tail is
 * copied unread when the local header gives its length; with a data descriptor (length unknown
 * in a stream) or `verifyInput`, it is decoded while being copied.
 */
export async function spliceZip(st: ZipState, changes: readonly ChangedRange[], w: OutputWriter, options: WriteOptions): Promise<{ imageSize: number; reencodedBytes: number }> {
  const { reader, data, head, walker } = st;
  const h = data.header;
  await decodeFarEnough(st, changes);
  const resume = reader.position;
  const plan: MemberPlan = data.scanner ? await planMember(head, data.scanner, 0, changes) : await storedPlan(head, changes);
  const pred = predictSplice(plan.segments, data.dataStart * 8);
  const newLength = (old: number) => (pred.tailBit === null ? pred.endBit / 8 - data.dataStart : old + pred.shift / 8);

  await copyInput(reader, w, 0, h.offset);
  if (data.hasDescriptor) await w.write(h.bytes.slice());
  else await w.write(patchLocalHeader(h, patchCrc(h.crc, h.size, plan.deltas), newLength(h.compressedSize)));

  if (!data.scanner) await copyStored(st, changes, w, options.verifyInput === true);
  else {
    const bits = new BitWriter(w);
    const tailBit = await emitSegments(bits, reader, plan.segments, data.dataStart * 8);
    if (tailBit !== null && data.ended) await bits.copyBits(reader, tailBit, data.dataEnd * 8);
    else if (tailBit !== null) {
      const seam = Math.floor(tailBit / 8);
      reader.seek(seam);
      const first = await reader.readExact(1, `zip member ${h.name}`);
      await w.write(bits.mergeSeam(first[0], tailBit) ?? first.slice());
      if (options.verifyInput || data.hasDescriptor) await decodeTail(st, seam + 1, resume, w);
      else await copyCount(reader, w, seam + 1, data.dataStart + h.compressedSize - seam - 1, h.name);
    }
  }

  let oldCrc = h.crc;
  let size = h.size;
  let oldLength = h.compressedSize;
  if (data.hasDescriptor) {
    const d = data.descriptor!;
    oldCrc = d.crc;
    size = d.size;
    oldLength = d.compressedSize;
    await w.write(patchDescriptor(d, patchCrc(d.crc, d.size, plan.deltas), newLength(d.compressedSize)));
    reader.seek(data.dataEnd + d.bytes.length);
  } else if (data.ended) reader.seek(data.dataEnd);
  const newCrc = patchCrc(oldCrc, size, plan.deltas);
  const delta = newLength(oldLength) - oldLength;

  reader.retain = false;
  for (;;) {
    const m = await walker.nextLocal();
    if (!m) break;
    if (st.chosen === undefined && walker.images.length > 1) throw ambiguous(walker.images);
    await w.write(m.bytes.slice());
    await walker.passMember(m, w);
  }
  const cdOffset = reader.position;
  const end = await walker.readEnd();
  await w.write(patchCentralDirectory(end, { imageOffset: h.offset, crc: newCrc, compressedSize: oldLength + delta, delta, cdOffset }));
  head.release();
  return { imageSize: size, reencodedBytes: plan.reencoded };
}

async function decodeFarEnough(st: ZipState, changes: readonly ChangedRange[]): Promise<void> {
  const hi = await decodeThroughChanges(st.head, changes);
  if (hi === 0) return;
  const scanner = st.data.scanner;
  while (scanner && !canEndAfter(scanner, hi)) await st.head.ensure(st.head.decodedLength + 1);
}

async function storedPlan(head: DecodedHead, changes: readonly ChangedRange[]): Promise<MemberPlan> {
  const deltas = [];
  for (const c of changes) deltas.push(crcDelta(await head.read(c.offset, c.bytes.length), c.bytes, c.offset + c.bytes.length));
  return { segments: [], deltas, reencoded: 0 };
}

/** A stored image: the data copied with the changes laid over (CRC of the input checked if asked). */
async function copyStored(st: ZipState, changes: readonly ChangedRange[], w: OutputWriter, verify: boolean): Promise<void> {
  const { reader, data } = st;
  const h = data.header;
  reader.seek(data.dataStart);
  let pos = 0;
  let crc = 0;
  while (pos < h.compressedSize) {
    const c = await reader.next(h.compressedSize - pos);
    if (!c) throw truncated(`zip member ${h.name}`, reader.position);
    if (verify) crc = crc32(c, crc);
    await w.write(applyChanges(c, pos, changes).slice());
    pos += c.length;
  }
  if (verify && crc !== h.crc) {
    throw new CoreError('ARCHIVE_CORRUPT', `Zip member ${h.name} is corrupt: its CRC-32 does not match the archive's.`, { member: h.name });
  }
}

/** Copies exactly `n` input bytes from `from`, as they arrive (nothing retained). */
async function copyCount(reader: InputReader, w: OutputWriter, from: number, n: number, name: string): Promise<void> {
  reader.seek(from);
  reader.retain = false;
  let left = n;
  while (left > 0) {
    const c = await reader.next(left);
    if (!c) throw truncated(`zip member ${name}`, reader.position);
    await w.write(c);
    left -= c.length;
    reader.dropBefore(reader.position);
  }
}

/** Decodes the rest of the image member (checking its CRC) while copying it behind the decoder. */
async function decodeTail(st: ZipState, copyFrom: number, resume: number, w: OutputWriter): Promise<void> {
  const { reader, data } = st;
  reader.seek(resume);
  reader.retain = true;
  let copyPos = copyFrom;
  while (!data.ended) {
    await data.pull();
    copyPos = await copyInput(reader, w, copyPos, data.ended ? data.dataEnd : data.scanner!.end);
  }
}
