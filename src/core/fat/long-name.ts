/**
 * VFAT long-name (LFN) directory entries. Spec: Microsoft FAT spec v1.03, §7 "Long File Name
 * Implementation": LDIR_Ord (sequence number, 0x40 = last), LDIR_Name1/2/3 (13 UCS-2 units per
 * entry, ended by 0x0000 and padded with 0xFFFF), LDIR_Attr = 0x0F, LDIR_Chksum of the 8.3 name
 * (§7.2), LDIR_FstClusLO = 0. Entries are stored last-first, immediately before the short entry.
 */
export const ATTR_LONG_NAME = 0x0f;
export const LAST_LONG_ENTRY = 0x40;
export const MAX_LONG_NAME = 255;
const CHARS_PER_ENTRY = 13;
/** Byte offsets of the 13 UCS-2 units inside one LFN entry. */
const CHAR_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

/** §7.2 ChkSum(): rotate right by one and add each byte of the 11-byte short name. */
export function lfnChecksum(shortName: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + shortName[i]) & 0xff;
  return sum;
}

export function longEntryCount(name: string): number {
  return Math.ceil(name.length / CHARS_PER_ENTRY);
}

/** The LFN entries for `name` in on-disk order (highest sequence number, flagged last, first). */
export function encodeLongName(name: string, checksum: number): Uint8Array {
  const count = longEntryCount(name);
  const out = new Uint8Array(count * 32);
  for (let seq = 1; seq <= count; seq++) {
    const entry = out.subarray((count - seq) * 32, (count - seq + 1) * 32);
    entry[0] = seq | (seq === count ? LAST_LONG_ENTRY : 0);
    entry[11] = ATTR_LONG_NAME;
    entry[13] = checksum;
    for (let k = 0; k < CHARS_PER_ENTRY; k++) {
      const i = (seq - 1) * CHARS_PER_ENTRY + k;
      const unit = i < name.length ? name.charCodeAt(i) : i === name.length ? 0x0000 : 0xffff;
      entry[CHAR_OFFSETS[k]] = unit & 0xff;
      entry[CHAR_OFFSETS[k] + 1] = unit >> 8;
    }
  }
  return out;
}

/** The 13 units of one LFN entry up to its terminator (fewer when the name ends inside it). */
export function longEntryText(entry: Uint8Array): string {
  let out = '';
  for (const offset of CHAR_OFFSETS) {
    const unit = entry[offset] | (entry[offset + 1] << 8);
    if (unit === 0x0000) break;
    out += String.fromCharCode(unit);
  }
  return out;
}

/**
 * Collects LFN entries as a directory is read in order and yields the long name when the short
 * entry that follows them matches (sequence complete, checksums equal); otherwise null, and the
 * orphaned entries are ignored, as §7 tells readers to do.
 */
export class LongNameCollector {
  #parts: string[] = [];
  #expected = 0;
  #checksum = -1;
  #firstSlot = -1;

  /** Feeds one LFN entry found at `slot`. */
  add(entry: Uint8Array, slot: number): void {
    const ord = entry[0];
    const seq = ord & 0x1f;
    if (ord & LAST_LONG_ENTRY) {
      this.#parts = [];
      this.#expected = seq;
      this.#checksum = entry[13];
      this.#firstSlot = slot;
    } else if (seq !== this.#expected || entry[13] !== this.#checksum) {
      this.reset();
      return;
    }
    if (seq === 0 || this.#expected === 0) return this.reset();
    this.#parts[seq - 1] = longEntryText(entry);
    this.#expected = seq - 1;
  }

  /** Called with the short entry that ends the run; returns the name and where its entries begin. */
  finish(shortName: Uint8Array, slot: number): { name: string | null; firstSlot: number } {
    const complete = this.#checksum >= 0 && this.#expected === 0 && this.#checksum === lfnChecksum(shortName);
    const result = complete ? { name: this.#parts.join(''), firstSlot: this.#firstSlot } : { name: null, firstSlot: slot };
    this.reset();
    return result;
  }

  reset(): void {
    this.#parts = [];
    this.#expected = 0;
    this.#checksum = -1;
    this.#firstSlot = -1;
  }
}
