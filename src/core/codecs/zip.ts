import { CoreError } from '../errors.ts';
import type { ChangedRange } from '../io/overlay.ts';
import type { Codec, OpenedImage, OpenOptions, WriteOptions, WriteSummary } from './stream-codec.ts';
import { DecodedHead } from './decoded-head.ts';
import { rejectNestedImage } from './detect-nested.ts';
import { checkChanges, runWrite, writePlainImage } from './stream-output.ts';
import { InputReader } from './stream-reader.ts';
import { ZipMemberData } from './zip-member.ts';
import { FLAG_DESCRIPTOR } from './zip-records.ts';
import { ambiguous, noImage } from './zip-select.ts';
import { spliceZip, type ZipState } from './zip-splice.ts';
import { ZipWalker } from './zip-walker.ts';

/**
 * Members before the image are held in memory until the output is written (a stream cannot be
 * read twice). Beyond this the archive is refused rather than exhausting memory.
 */
const MAX_BEFORE_IMAGE = 256 << 20;

/** ZIP (APPNOTE.TXT 6.3.10), read as a stream; the image is one member, the others are copied. */
export const zipCodec: Codec = {
  id: 'zip',
  label: 'zip',
  extensions: ['.img.zip', '.zip'],
  sniff: (head) => head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04,
  open: openZip,
};

async function openZip(input: ReadableStream<Uint8Array>, options: OpenOptions = {}): Promise<OpenedImage> {
  const reader = new InputReader(input, { signal: options.signal, onProgress: options.onProgress, totalBytes: options.inputSize });
  reader.phase = 'decode';
  const walker = new ZipWalker(reader, options.member);
  try {
    for (;;) {
      const imagesBefore = walker.images.length;
      const h = await walker.nextLocal();
      if (!h) throw noImage(walker.names, walker.nested, options.member);
      if (walker.images.length > imagesBefore) {
        const data = new ZipMemberData(reader, h);
        const known = (h.flags & FLAG_DESCRIPTOR) === 0 ? h.size : Number.POSITIVE_INFINITY;
        const head = new DecodedHead(() => data.pull(), known);
        await rejectNestedImage(head, `Zip member ${h.name}`);
        const st: ZipState = { reader, walker, data, head, chosen: options.member };
        return {
          codec: 'zip',
          image: head,
          member: h.name,
          writeSpliced: (changes, out, o = {}) => {
            checkChanges(changes, head.size);
            return runWrite(out, reader, o, (w) => spliceZip(st, changes, w, o));
          },
          writeDecoded: (changes, out, o = {}) => writeZipDecoded(st, changes, out, o),
          cancel: async (reason) => {
            head.release();
            await reader.cancel(reason);
          },
        };
      }
      await walker.passMember(h);
      if (reader.position > MAX_BEFORE_IMAGE) {
        throw new CoreError('ARCHIVE_UNSUPPORTED', `The zip file holds more than ${MAX_BEFORE_IMAGE >> 20} MiB of other files before the disk image; extract the image first.`, {
          reason: 'image-too-late',
        });
      }
    }
  } catch (e) {
    await reader.cancel(e);
    throw e;
  }
}

/**
 * The plain image with changes. The rest of the archive is still walked (not decoded) so that a
 * second candidate image is reported instead of silently ignored.
 */
function writeZipDecoded(st: ZipState, changes: readonly ChangedRange[], out: WritableStream<Uint8Array>, o: WriteOptions): Promise<WriteSummary> {
  checkChanges(changes, st.head.size);
  return runWrite(out, st.reader, o, async (w) => {
    const imageSize = await writePlainImage(w, st.head, st.reader, () => st.data.pull(), changes);
    await checkRestOfArchive(st);
    return { imageSize };
  });
}

/** Walks the members after the image: a second candidate image is ARCHIVE_AMBIGUOUS. */
export async function checkRestOfArchive(st: ZipState): Promise<void> {
  for (;;) {
    const h = await st.walker.nextLocal();
    if (!h) break;
    if (st.chosen === undefined && st.walker.images.length > 1) throw ambiguous(st.walker.images);
    await st.walker.passMember(h);
  }
  const end = await st.walker.readEnd();
  if (end.length < 22 || !hasEndRecord(end)) {
    throw new CoreError('ARCHIVE_CORRUPT', 'The zip file has no end of central directory record: it is truncated or damaged.', { reason: 'truncated' });
  }
}

function hasEndRecord(b: Uint8Array): boolean {
  for (let p = b.length - 22; p >= 0 && p >= b.length - 22 - 65535; p--) {
    if (b[p] === 0x50 && b[p + 1] === 0x4b && b[p + 2] === 0x05 && b[p + 3] === 0x06) return true;
  }
  return false;
}
