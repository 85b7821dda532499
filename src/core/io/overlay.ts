import type { ByteSource, ByteStore } from './byte-source.ts';
import { equalBytes } from '../bytes/compare.ts';
import { checkRange } from './memory.ts';

/**
 * A base that can fill a caller's array (the CLI's file stores): used when it has it, so the
 * overlay's own copy is the only one.
 */
interface ReadsInto {
  readInto(into: Uint8Array, offset: number): Promise<Uint8Array>;
}

/** A contiguous run of changed bytes in image coordinates. */
export interface ChangedRange {
  offset: number;
  bytes: Uint8Array;
}

/**
 * Records writes as whole changed sectors over a read-only original. Reads see the original with
 * the changes laid over it, so a filesystem writer can work on it as on a real disk, while the
 * original is never touched. `changes()` then lists exactly the sectors whose bytes differ from the
 * original — what an in-place edit writes, and what a splice must re-encode.
 */
export class SectorOverlay implements ByteStore {
  readonly base: ByteSource;
  readonly sectorSize: number;
  readonly #sectors = new Map<number, Uint8Array>();

  constructor(base: ByteSource, sectorSize = 512) {
    this.base = base;
    this.sectorSize = sectorSize;
  }

  get size(): number {
    return this.base.size;
  }

  /**
   * A read that touches no written sector is the base's own answer, not a copy of it (the contract
   * of `ByteSource.read`: callers copy what they keep and change). Otherwise the base's bytes go
   * straight into the new array (`readInto`, when the base has it) and the written sectors over them:
   * each byte is copied once, where a copy of the base's copy cost a configure ~2.5 MB of fresh
   * pages (issue 7, start-up: the FAT is read three times, whole).
   */
  async read(offset: number, length: number): Promise<Uint8Array> {
    checkRange(offset, length, this.base.size);
    if (length === 0) return new Uint8Array(0);
    const ss = this.sectorSize;
    const first = Math.floor(offset / ss);
    const last = Math.floor((offset + length - 1) / ss);
    const written = this.#writtenIn(first, last);
    if (written.length === 0) return this.base.read(offset, length);
    const out = new Uint8Array(length);
    await this.#readBase(out, offset);
    for (const s of written) this.#blit(s, out, offset);
    return out;
  }

  /** The written sectors in [first, last]. */
  #writtenIn(first: number, last: number): number[] {
    const found: number[] = [];
    if (this.#sectors.size === 0) return found;
    if (last - first + 1 < this.#sectors.size) {
      for (let s = first; s <= last; s++) if (this.#sectors.has(s)) found.push(s);
    } else {
      for (const s of this.#sectors.keys()) if (s >= first && s <= last) found.push(s);
    }
    return found;
  }

  async #readBase(into: Uint8Array, offset: number): Promise<void> {
    const base = this.base as ByteSource & Partial<ReadsInto>;
    if (typeof base.readInto === 'function') await base.readInto(into, offset);
    else into.set(await base.read(offset, into.length));
  }

  #blit(sector: number, out: Uint8Array, outOffset: number): void {
    const data = this.#sectors.get(sector);
    if (!data) return;
    const start = sector * this.sectorSize;
    const from = Math.max(start, outOffset);
    const to = Math.min(start + this.sectorSize, outOffset + out.length);
    out.set(data.subarray(from - start, to - start), from - outOffset);
  }

  async write(offset: number, bytes: Uint8Array): Promise<void> {
    checkRange(offset, bytes.length, this.base.size);
    const ss = this.sectorSize;
    let pos = offset;
    const end = offset + bytes.length;
    while (pos < end) {
      const sector = Math.floor(pos / ss);
      const sectorStart = sector * ss;
      const sectorEnd = Math.min(sectorStart + ss, this.base.size);
      let data = this.#sectors.get(sector);
      if (!data) {
        data = new Uint8Array(ss);
        await this.#readBase(data.subarray(0, sectorEnd - sectorStart), sectorStart);
        this.#sectors.set(sector, data);
      }
      const to = Math.min(end, sectorEnd);
      data.set(bytes.subarray(pos - offset, to - offset), pos - sectorStart);
      pos = to;
    }
  }

  /** Sectors written so far, whether or not their bytes differ from the original. */
  get touchedSectorCount(): number {
    return this.#sectors.size;
  }

  /**
   * The sectors that really differ from the original, merged into ascending contiguous ranges.
   * Sectors written back with their original bytes are left out.
   */
  async changes(): Promise<ChangedRange[]> {
    const ss = this.sectorSize;
    const sectors = [...this.#sectors.keys()].sort((a, b) => a - b);
    const ranges: ChangedRange[] = [];
    let run: Uint8Array[] = [];
    let runStart = -1;
    let runNext = -1;
    const flush = () => {
      if (run.length === 0) return;
      const total = run.reduce((n, r) => n + r.length, 0);
      const bytes = new Uint8Array(total);
      let p = 0;
      for (const r of run) {
        bytes.set(r, p);
        p += r.length;
      }
      ranges.push({ offset: runStart * ss, bytes });
      run = [];
    };
    for (const s of sectors) {
      const start = s * ss;
      const len = Math.min(ss, this.base.size - start);
      const mine = this.#sectors.get(s)!.subarray(0, len);
      const original = await this.base.read(start, len);
      if (equalBytes(mine, original)) continue;
      if (s !== runNext) {
        flush();
        runStart = s;
      }
      run.push(mine.slice());
      runNext = s + 1;
    }
    flush();
    return ranges;
  }
}

export { equalBytes };
