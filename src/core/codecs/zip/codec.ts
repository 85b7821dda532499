import { shownName } from '../../errors.ts';
import type { ChangedRange } from '../../io/overlay.ts';
import { subrange } from '../../io/subrange.ts';
import { crc32 } from '../../bytes/crc32.ts';
import type { Codec, OpenedImage, WriteOptions, WriteSummary } from '../codec.ts';
import { checkChanges } from '../kit/changes.ts';
import { DecodedHead } from '../kit/decoded-head.ts';
import { corrupt, guard } from '../kit/errors.ts';
import { openWith, rejectNestedImage, type CodecInput } from '../kit/open.ts';
import { runWrite, writeChanged } from '../kit/output.ts';
import { parseCentral } from './central.ts';
import { findZipEnd } from './eocd.ts';
import { locateImage, memberDecoder } from './member.ts';
import { readAt } from './records.ts';
import { selectImage } from './select.ts';
import { spliceZip, type ZipState } from './splice.ts';

/**
 * ZIP (APPNOTE.TXT 6.3.10), read from its end: the (ZIP64) end records give the central directory,
 * which names the image member and where it is; nothing else of the archive is read.
 */
export const zipCodec: Codec<'zip'> = {
  id: 'zip',
  label: 'zip',
  extensions: ['.img.zip', '.zip'],
  sniff: (head) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04,
  open: (input, options) => openWith(input, options, openZip),
};

async function openZip(ci: CodecInput): Promise<OpenedImage> {
  const end = await findZipEnd(ci.input);
  const entries = parseCentral(await readAt(ci.input, end.cdOffset, end.cdSize, 'the zip central directory'), end.entries);
  const img = await locateImage(ci.input, selectImage(entries, ci.options.member), end);
  let st: ZipState;
  if (img.entry.method === 0) {
    st = { ci, end, img, image: subrange(ci.input, img.dataStart, img.entry.size), deflated: null, extraDecoded: 0 };
  } else {
    const progress = ci.progress();
    progress.phase = 'decode';
    const { scanner, pull } = memberDecoder(img, ci.reader(img.dataStart, img.dataEnd, progress), { keepsChunks: true, engine: ci.options.inflate });
    const head = new DecodedHead(pull, img.entry.size);
    st = { ci, end, img, image: head, deflated: { head, scanner }, extraDecoded: 0 };
  }
  await rejectNestedImage(st.image, `Zip member ${shownName(img.entry.name)}`);
  return {
    codec: 'zip',
    image: st.image,
    member: img.entry.name,
    get decodedBytes() {
      return (st.deflated?.head.decodedLength ?? 0) + st.extraDecoded;
    },
    splice: (changes, o = {}) => guard(spliceZip(st, changes, o)),
    writeDecoded: (changes, out, o = {}) => writeZipDecoded(st, changes, out, o),
    close: async () => st.deflated?.head.release(),
  };
}

/** The plain image with changes, from a fresh pass over the member (its CRC and length checked). */
async function writeZipDecoded(st: ZipState, changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o: WriteOptions): Promise<WriteSummary> {
  const { ci, img } = st;
  const progress = ci.progress(o.onProgress);
  const { imageSize, bytesWritten } = await runWrite(out, progress, o.signal, async (w) => {
    checkChanges(changes, img.entry.size);
    const pull = st.deflated ? memberDecoder(img, ci.reader(img.dataStart, img.dataEnd, progress, o.signal), { engine: ci.options.inflate }).pull : storedPull(st, (p) => progress.read(p));
    return { imageSize: await writeChanged(w, pull, changes) };
  });
  if (st.deflated) st.extraDecoded += imageSize;
  return { bytesWritten, imageSize, decodedBytes: st.deflated ? imageSize : 0 };
}

/** A stored member read in large pieces, its CRC-32 checked at the end. */
function storedPull(st: ZipState, onRead: (pos: number) => void): () => Promise<Uint8Array | null> {
  const { img } = st;
  let pos = 0;
  let crc = 0;
  return async () => {
    if (pos >= img.entry.size) {
      if (crc !== img.entry.crc) throw corrupt(`Zip member ${shownName(img.entry.name)} is corrupt: its CRC-32 does not match the archive's.`, { member: img.entry.name });
      return null;
    }
    const n = Math.min(8 << 20, img.entry.size - pos);
    const bytes = (await st.image.read(pos, n)).slice();
    crc = crc32(bytes, crc);
    pos += n;
    onRead(img.dataStart + pos);
    return bytes;
  };
}
