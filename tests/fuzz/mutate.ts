/**
 * One structured mutation per fuzz case: a field of a structure the core parses set to a value a
 * hostile or damaged image might carry (0, all ones, off by one, a neighbour's value, random), a
 * bit flip, or a truncation. Mutations are patches over the base image, so the base is never copied.
 */
import { crc32 } from '../../src/core/bytes/crc32.ts';
import type { Layout } from './layout.ts';

export interface Patch {
  offset: number;
  bytes: Uint8Array;
}

export interface Mutation {
  what: string;
  patches: Patch[];
  /** Truncate the image to this many bytes. */
  size?: number;
}

export interface Rng {
  next(): number;
  int(n: number): number;
  pick<T>(xs: readonly T[]): T;
}

const le = (value: number, width: number): Uint8Array => {
  const out = new Uint8Array(width);
  let v = value;
  for (let i = 0; i < width; i++) {
    out[i] = Number(BigInt.asUintN(8, BigInt(Math.floor(v))));
    v = Math.floor(v / 256);
  }
  return out;
};
const readLe = (b: Uint8Array, at: number, width: number): number => {
  let v = 0;
  for (let i = width - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return v;
};

/** A value for a field of `width` bytes currently holding `old`: the interesting ones first. */
function fieldValue(r: Rng, old: number, width: number): number {
  const max = 2 ** (8 * width) - 1;
  const choices = [0, max, old + 1, old - 1, old * 2, Math.floor(old / 2), r.int(max + 1), 1, 2, old ^ (1 << r.int(8 * width)), max >>> 1];
  const v = r.pick(choices);
  return Math.min(max, Math.max(0, v));
}

function setField(base: Uint8Array, r: Rng, at: number, width: number, name: string): Mutation {
  const old = readLe(base, at, width);
  const value = fieldValue(r, old, width);
  return { what: `${name} @${at}: ${old} -> ${value}`, patches: [{ offset: at, bytes: le(value, width) }] };
}

const BPB_FIELDS: [number, number, string][] = [
  [0, 1, 'BS_jmpBoot'], [11, 2, 'BPB_BytsPerSec'], [13, 1, 'BPB_SecPerClus'], [14, 2, 'BPB_RsvdSecCnt'], [16, 1, 'BPB_NumFATs'],
  [17, 2, 'BPB_RootEntCnt'], [19, 2, 'BPB_TotSec16'], [21, 1, 'BPB_Media'], [22, 2, 'BPB_FATSz16'], [24, 2, 'BPB_SecPerTrk'],
  [26, 2, 'BPB_NumHeads'], [28, 4, 'BPB_HiddSec'], [32, 4, 'BPB_TotSec32'], [510, 2, 'signature'],
];
const BPB16_FIELDS: [number, number, string][] = [[36, 1, 'BS_DrvNum'], [37, 1, 'BS_Reserved1'], [38, 1, 'BS_BootSig'], [39, 4, 'BS_VolID'], [43, 4, 'BS_VolLab'], [54, 4, 'BS_FilSysType']];
const BPB32_FIELDS: [number, number, string][] = [
  [36, 4, 'BPB_FATSz32'], [40, 2, 'BPB_ExtFlags'], [42, 2, 'BPB_FSVer'], [44, 4, 'BPB_RootClus'], [48, 2, 'BPB_FSInfo'],
  [50, 2, 'BPB_BkBootSec'], [64, 1, 'BS_DrvNum'], [65, 1, 'BS_Reserved1'], [66, 1, 'BS_BootSig'], [71, 4, 'BS_VolLab'],
];
const MBR_FIELDS: [number, number, string][] = [[0, 1, 'status'], [4, 1, 'type'], [8, 4, 'start'], [12, 4, 'size']];
const GPT_HEADER_FIELDS: [number, number, string][] = [
  [0, 4, 'signature'], [8, 4, 'revision'], [12, 4, 'headerSize'], [16, 4, 'headerCrc'], [24, 4, 'myLba'], [32, 4, 'alternateLba'],
  [40, 4, 'firstUsable'], [48, 4, 'lastUsable'], [72, 4, 'entriesLba'], [80, 4, 'entryCount'], [84, 4, 'entrySize'], [88, 4, 'entriesCrc'],
];
const GPT_ENTRY_FIELDS: [number, number, string][] = [[0, 4, 'typeGuid'], [16, 4, 'uniqueGuid'], [32, 4, 'firstLba'], [40, 4, 'lastLba'], [48, 4, 'attributes'], [56, 8, 'name']];
const DIR_FIELDS: [number, number, string][] = [[0, 1, 'DIR_Name[0]'], [1, 4, 'DIR_Name'], [8, 3, 'DIR_Ext'], [11, 1, 'DIR_Attr'], [12, 1, 'DIR_NTRes'], [20, 2, 'DIR_FstClusHI'], [26, 2, 'DIR_FstClusLO'], [28, 4, 'DIR_FileSize']];
const LFN_FIELDS: [number, number, string][] = [[0, 1, 'LDIR_Ord'], [11, 1, 'LDIR_Attr'], [13, 1, 'LDIR_Chksum'], [26, 2, 'LDIR_FstClusLO'], [1, 2, 'LDIR_Name1']];

/** Recomputes GPT CRCs over the patched bytes, so a lying field is not caught by its CRC alone. */
function withGptCrcs(base: Uint8Array, l: Layout, m: Mutation, header: number, entries: number): Mutation {
  const region = (at: number, n: number) => {
    const out = base.slice(at, at + n);
    for (const p of m.patches) for (let i = 0; i < p.bytes.length; i++) if (p.offset + i >= at && p.offset + i < at + n) out[p.offset + i - at] = p.bytes[i];
    return out;
  };
  const arr = region(entries, l.gpt!.entriesBytes);
  const h = region(header, 92);
  h.set(le(crc32(arr), 4), 88);
  h.set(le(0, 4), 16);
  h.set(le(crc32(h), 4), 16);
  return { what: `${m.what} (CRCs fixed)`, patches: [...m.patches, { offset: header, bytes: h }] };
}

type Gen = (base: Uint8Array, l: Layout, r: Rng) => Mutation;

const generators: Record<string, Gen> = {
  mbrEntry(base, _l, r) {
    const [at, w, name] = r.pick(MBR_FIELDS);
    const slot = r.int(4);
    return setField(base, r, 446 + 16 * slot + at, w, `MBR entry ${slot + 1} ${name}`);
  },
  ebr(base, l, r) {
    if (l.ebrs.length === 0) return generators.mbrEntry(base, l, r);
    const ebr = r.pick(l.ebrs);
    const [at, w, name] = r.pick(MBR_FIELDS);
    const slot = r.int(2);
    if (r.int(6) === 0) return setField(base, r, ebr + 510, 2, 'EBR signature');
    return setField(base, r, ebr + 446 + 16 * slot + at, w, `EBR@${ebr} entry ${slot + 1} ${name}`);
  },
  gptHeader(base, l, r) {
    if (!l.gpt) return generators.mbrEntry(base, l, r);
    const backup = r.int(3) === 0;
    const header = backup ? l.gpt.backup : l.gpt.primary;
    const [at, w, name] = r.pick(GPT_HEADER_FIELDS);
    const m = setField(base, r, header + at, w, `GPT ${backup ? 'backup' : 'primary'} header ${name}`);
    return r.int(2) && at !== 16 ? withGptCrcs(base, l, m, header, backup ? l.gpt.backupEntries : l.gpt.entries) : m;
  },
  gptEntry(base, l, r) {
    if (!l.gpt) return generators.ebr(base, l, r);
    const backup = r.int(4) === 0;
    const entries = backup ? l.gpt.backupEntries : l.gpt.entries;
    const index = r.int(6);
    const [at, w, name] = r.pick(GPT_ENTRY_FIELDS);
    const m = setField(base, r, entries + index * 128 + at, w, `GPT ${backup ? 'backup' : 'primary'} entry ${index + 1} ${name}`);
    return r.int(3) ? withGptCrcs(base, l, m, backup ? l.gpt.backup : l.gpt.primary, entries) : m;
  },
  bpb(base, l, r) {
    const fields = [...BPB_FIELDS, ...(l.boot.g.fatType === 32 ? BPB32_FIELDS : BPB16_FIELDS)];
    const [at, w, name] = r.pick(fields);
    return setField(base, r, l.boot.start + at, w, `BPB ${name}`);
  },
  fsInfo(base, l, r) {
    const g = l.boot.g;
    if (!g.fsInfoSector) return generators.bpb(base, l, r);
    const at = l.boot.start + g.fsInfoSector * g.bytesPerSector;
    const [off, name] = r.pick([[0, 'FSI_LeadSig'], [484, 'FSI_StrucSig'], [488, 'FSI_Free_Count'], [492, 'FSI_Nxt_Free'], [508, 'FSI_TrailSig']] as const);
    return setField(base, r, at + off, 4, `FSInfo ${name}`);
  },
  fatEntry(base, l, r) {
    const g = l.boot.g;
    const chain = r.pick(l.chains);
    const cluster = r.int(5) === 0 ? r.int(2) : r.pick(chain);
    const max = g.fatType === 12 ? 0xfff : g.fatType === 16 ? 0xffff : 0x0fffffff;
    const other = r.pick(l.chains);
    const value = r.pick([0, 1, cluster, chain[0], other[0], other[other.length - 1], g.maxCluster + 1, max - 8, max, r.int(g.maxCluster + 2), cluster + 1]);
    const copies = r.int(3) === 0 ? [r.int(g.numFats)] : Array.from({ length: g.numFats }, (_, i) => i);
    const patches: Patch[] = [];
    for (const copy of copies) {
      const fat = l.boot.start + g.fatOffset + copy * g.fatBytes;
      if (g.fatType === 12) {
        const off = (cluster * 3) >> 1;
        const word = base[fat + off] | (base[fat + off + 1] << 8);
        const next = cluster & 1 ? (word & 0xf) | (value << 4) : (word & 0xf000) | (value & 0xfff);
        patches.push({ offset: fat + off, bytes: le(next & 0xffff, 2) });
      } else {
        const w = g.fatType / 8;
        patches.push({ offset: fat + cluster * w, bytes: le(value, w) });
      }
    }
    return { what: `FAT entry ${cluster} := ${value} in copies ${copies.join(',')}`, patches };
  },
  dirEntry(base, l, r) {
    const slots = l.slots.filter((s) => s.kind === 'short');
    const s = r.pick(slots);
    if (r.int(5) === 0) {
      const special = r.pick([0x00, 0xe5, 0x2e, 0x05, 0x20]);
      return { what: `short entry @${s.offset} DIR_Name[0] := ${special}`, patches: [{ offset: s.offset, bytes: Uint8Array.of(special) }] };
    }
    const [at, w, name] = r.pick(DIR_FIELDS);
    return setField(base, r, s.offset + at, w, `short entry ${name}`);
  },
  longName(base, l, r) {
    const lfn = l.slots.filter((s) => s.kind === 'lfn');
    if (lfn.length === 0) return generators.dirEntry(base, l, r);
    const s = r.pick(lfn);
    if (r.int(4) === 0) {
      // Orphan the long name: delete the short entry that follows its run.
      const short = l.slots.find((x) => x.kind === 'short' && x.offset > s.offset)!;
      return { what: `orphaned long name: short entry @${short.offset} deleted`, patches: [{ offset: short.offset, bytes: Uint8Array.of(0xe5) }] };
    }
    const [at, w, name] = r.pick(LFN_FIELDS);
    return setField(base, r, s.offset + at, w, `long-name entry ${name}`);
  },
  bitFlip(base, l, r) {
    const zone = r.int(4);
    const g = l.boot.g;
    const at =
      zone === 0 ? r.int(Math.min(l.size, 64 * 1024))
      : zone === 1 ? l.boot.start + r.int(Math.min(l.boot.size, g.dataOffset + 16 * g.bytesPerCluster))
      : zone === 2 ? r.pick(l.slots).offset + r.int(32)
      : r.int(l.size);
    const bit = 1 << r.int(8);
    return { what: `bit ${bit} flipped at ${at}`, patches: [{ offset: at, bytes: Uint8Array.of(base[at] ^ bit) }] };
  },
  truncate(_base, l, r) {
    const g = l.boot.g;
    const size = r.pick([
      r.int(l.size), r.int(4096), l.boot.start + r.int(g.dataOffset + 1), l.boot.start + r.int(l.boot.size), l.boot.start + l.boot.size - 1 - r.int(4096), l.size - 1 - r.int(2 * 1024 * 1024),
    ]);
    return { what: `truncated to ${Math.max(0, size)} bytes`, patches: [], size: Math.max(0, size) };
  },
};

const WEIGHTS: [string, number][] = [
  ['mbrEntry', 2], ['ebr', 1], ['gptHeader', 2], ['gptEntry', 2], ['bpb', 6], ['fsInfo', 1], ['fatEntry', 4], ['dirEntry', 4], ['longName', 3], ['bitFlip', 4], ['truncate', 2],
];

export function mutateRaw(base: Uint8Array, l: Layout, r: Rng): Mutation {
  const total = WEIGHTS.reduce((n, [, w]) => n + w, 0);
  let pick = r.int(total);
  for (const [name, w] of WEIGHTS) {
    if ((pick -= w) < 0) return generators[name](base, l, r);
  }
  throw new Error('unreachable');
}

/** Mutations of a compressed file: bit flips in the header, body or trailer, truncations, lying length/CRC fields. */
export function mutateCompressed(base: Uint8Array, kind: 'gz' | 'zip' | 'xz', r: Rng): Mutation {
  const n = base.length;
  const choice = r.int(5);
  if (choice === 0) return { what: `truncated to`, patches: [], size: r.pick([r.int(n), r.int(64), n - 1 - r.int(64)]) };
  if (choice <= 2) {
    const at = r.pick([r.int(Math.min(n, 64)), r.int(n), n - 1 - r.int(Math.min(n, 64))]);
    const bit = 1 << r.int(8);
    return { what: `bit ${bit} flipped at ${at}`, patches: [{ offset: at, bytes: Uint8Array.of(base[at] ^ bit) }] };
  }
  // Lying header fields.
  const fields: [number, number, string][] =
    kind === 'gz' ? [[3, 1, 'FLG'], [4, 4, 'MTIME'], [n - 8, 4, 'CRC32'], [n - 4, 4, 'ISIZE'], [2, 1, 'CM']]
    : kind === 'zip' ? zipFields(base)
    : [[6, 2, 'stream flags'], [12, 1, 'block header size'], [13, 1, 'block flags'], [n - 12, 4, 'footer CRC'], [n - 8, 4, 'backward size'], [n - 4, 2, 'footer flags']];
  const [at, w, name] = r.pick(fields);
  return setField(base, r, at, w, `${kind} ${name}`);
}

function zipFields(b: Uint8Array): [number, number, string][] {
  const out: [number, number, string][] = [[6, 2, 'local flags'], [8, 2, 'local method'], [14, 4, 'local CRC'], [18, 4, 'local compressed size'], [22, 4, 'local size'], [26, 2, 'local name length'], [28, 2, 'local extra length']];
  let eocd = -1;
  for (let i = b.length - 22; i >= 0 && i >= b.length - 22 - 65535; i--) if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 5 && b[i + 3] === 6) { eocd = i; break; }
  if (eocd >= 0) {
    out.push([eocd + 10, 2, 'EOCD entries'], [eocd + 12, 4, 'EOCD CD size'], [eocd + 16, 4, 'EOCD CD offset'], [eocd + 20, 2, 'EOCD comment length']);
    const cd = readLe(b, eocd + 16, 4);
    out.push([cd + 10, 2, 'CD method'], [cd + 16, 4, 'CD CRC'], [cd + 20, 4, 'CD compressed size'], [cd + 24, 4, 'CD size'], [cd + 28, 2, 'CD name length'], [cd + 42, 4, 'CD local offset']);
  }
  return out;
}
