import { CoreError } from '../errors.ts';
import { copyInput } from './stream-copy.ts';
import type { ChunkSink } from './stream-output.ts';
import type { InputReader } from './stream-reader.ts';
import { truncated } from './stream-reader.ts';
import { ZipMemberData } from './zip-member.ts';
import { FLAG_DESCRIPTOR, readLocalHeader, SIG, u32, type LocalHeader } from './zip-records.ts';
import { memberKind } from './zip-select.ts';

/** The central directory and end records are small; more than this is not a zip we can trust. */
const MAX_END_BYTES = 64 << 20;

/**
 * Walks a zip stream's local records front to back (APPNOTE 4.3.6: local header, data, optional
 * descriptor, …, central directory). A stream gives no random access, so members are handled as
 * they pass: their names are collected to find the image and to report what the archive holds.
 */
export class ZipWalker {
  readonly names: string[] = [];
  readonly images: string[] = [];
  readonly nested: string[] = [];
  readonly #reader: InputReader;
  readonly #chosen: string | undefined;

  constructor(reader: InputReader, chosen?: string) {
    this.#reader = reader;
    this.#chosen = chosen;
  }

  /** The next local header, or null when the central directory starts (the reader is left at it). */
  async nextLocal(): Promise<LocalHeader | null> {
    const at = this.#reader.position;
    const sig = await this.#reader.next(4);
    if (!sig) throw truncated('the zip file (no central directory)', at);
    const four = sig.length === 4 ? sig : await this.#complete(sig);
    this.#reader.unread(four);
    const s = u32(four, 0);
    if (s === SIG.central || s === SIG.end || s === SIG.zip64End) return null;
    if (s !== SIG.local) {
      throw new CoreError('ARCHIVE_CORRUPT', `The zip file has an unexpected record at byte ${at}: it is damaged or not a zip file.`, { offset: at });
    }
    const h = await readLocalHeader(this.#reader);
    this.names.push(h.name);
    const kind = memberKind(h.name, this.#chosen);
    if (kind === 'image') this.images.push(h.name);
    if (kind === 'nested') this.nested.push(h.name);
    return h;
  }

  /** Passes over a member's data and descriptor, copying them verbatim to `sink` when given. */
  async passMember(h: LocalHeader, sink?: ChunkSink): Promise<void> {
    const r = this.#reader;
    if ((h.flags & FLAG_DESCRIPTOR) === 0) {
      let left = h.compressedSize;
      while (left > 0) {
        const c = await r.next(left);
        if (!c) throw truncated(`zip member ${h.name}`, r.position);
        if (sink) await sink.write(c.slice());
        left -= c.length;
      }
      return;
    }
    // A descriptor follows data of unknown length: decode to find the end (and check the CRC).
    const keep = r.retain;
    r.retain = true;
    let copyPos = r.position;
    const data = new ZipMemberData(r, h);
    while (!data.ended) {
      await data.pull();
      if (sink && data.scanner) copyPos = await copyInput(r, sink, copyPos, data.ended ? r.position : data.scanner.end);
    }
    if (sink) await copyInput(r, sink, copyPos, r.position);
    r.retain = keep;
  }

  /** Everything from the central directory to the end of the input. */
  async readEnd(): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let n = 0;
    for (;;) {
      const c = await this.#reader.next();
      if (!c) break;
      parts.push(c);
      n += c.length;
      if (n > MAX_END_BYTES) throw new CoreError('ARCHIVE_UNSUPPORTED', 'The zip central directory is larger than 64 MiB.');
    }
    const out = new Uint8Array(n);
    n = 0;
    for (const p of parts) {
      out.set(p, n);
      n += p.length;
    }
    return out;
  }

  async #complete(first: Uint8Array): Promise<Uint8Array> {
    const rest = await this.#reader.readExact(4 - first.length, 'a zip record');
    const out = new Uint8Array(4);
    out.set(first);
    out.set(rest, first.length);
    return out;
  }
}
