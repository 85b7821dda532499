/**
 * The deflate splice cuts blocks mid-way (splice.ts planCut/planResume, block-walker.ts): the block
 * holding a change's first byte is closed early with its own end-of-block code, and the original
 * stream resumes inside a later block after a copy of that block's header, at the first symbol no
 * later back-reference makes depend on a changed byte. Streams from zlib (levels 1/6/9, tiny blocks,
 * fixed-Huffman only, stored only), GNU gzip and Info-ZIP zip get random changes at block starts,
 * block ends, inside blocks, spanning blocks, in zero runs and in random data; every output is
 * inflated by node:zlib and by GNU gzip / unzip (run from the spawn broker, tests/helpers/spawn-broker.ts) and compared with the expected image, and the bytes
 * re-encoded are compared with what whole-block segments would have needed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { BlockScanner, type Boundary } from '../../../src/core/codecs/deflate/block-scanner.ts';
import { StreamWalker, walkBlock } from '../../../src/core/codecs/deflate/block-walker.ts';
import { planSegments } from '../../../src/core/codecs/deflate/splice.ts';
import { gzipCodec } from '../../../src/core/codecs/gzip/codec.ts';
import { SourceReader } from '../../../src/core/codecs/kit/reader.ts';
import { zipCodec } from '../../../src/core/codecs/zip/codec.ts';
import { MemoryDisk } from '../../../src/core/io/memory.ts';
import type { ChangedRange } from '../../../src/core/io/overlay.ts';
import { applyToCopy, equalBytes, realise } from '../../helpers/codec-fixtures.ts';
import { hasTools, runBytes, tempDir } from '../../helpers/tools.ts';
import { xorshift32 } from '../../helpers/xorshift.ts';

const KiB = 1024;
const WINDOW = 32 * KiB;
const tools = hasTools('gzip', 'zip', 'unzip');

const rng = xorshift32;

/** Where each kind of content lies in the test image. */
interface Region {
  kind: 'text' | 'zeros' | 'random' | 'sparse';
  lo: number;
  hi: number;
}

/** ~1.3 MiB: text, long zero runs, random (stored blocks), sparse random sectors in zeros. */
function makeImage(seed: number): { img: Uint8Array; regions: Region[] } {
  const plan: [Region['kind'], number][] = [
    ['text', 160 * KiB],
    ['zeros', 300 * KiB],
    ['random', 100 * KiB],
    ['text', 60 * KiB],
    ['sparse', 200 * KiB],
    ['zeros', 250 * KiB],
    ['random', 40 * KiB],
    ['text', 220 * KiB],
  ];
  const total = plan.reduce((n, [, s]) => n + s, 0);
  const img = new Uint8Array(total);
  const r = rng(seed);
  const words = 'balena config json network wifi ssid uuid device boot partition fat cluster sector image'.split(' ');
  const enc = new TextEncoder();
  const regions: Region[] = [];
  let at = 0;
  for (const [kind, size] of plan) {
    const end = at + size;
    if (kind === 'text') {
      for (let p = at; p < end; ) {
        const line = enc.encode(`${words[r() % words.length]} ${words[r() % words.length]}=${r() % 100000};\n`);
        const n = Math.min(line.length, end - p);
        img.set(line.subarray(0, n), p);
        p += n;
      }
    } else if (kind === 'random') for (let p = at; p < end; p++) img[p] = r() & 0xff;
    else if (kind === 'sparse') for (let s = at; s < end; s += 512) if (r() % 4 === 0) for (let i = 0; i < 512; i++) img[s + i] = r() & 0xff;
    regions.push({ kind, lo: at, hi: end });
    at = end;
  }
  return { img, regions };
}

const { img, regions } = makeImage(7);

function gnuGzip(level: number): Uint8Array {
  return new Uint8Array(runBytes('gzip', ['-c', '-n', `-${level}`], { input: img }));
}

interface Encoded {
  name: string;
  gz: Uint8Array;
  /** Block types (0 stored, 1 fixed, 2 dynamic) the stream must hold: the test needs them. */
  types: number[];
}

const encoders: { name: string; make: () => Uint8Array; types: number[]; needsTools?: boolean }[] = [
  { name: 'zlib level 1', make: () => gzipSync(img, { level: 1 }), types: [0, 2] },
  { name: 'zlib level 6', make: () => gzipSync(img, { level: 6 }), types: [0, 2] },
  { name: 'zlib level 9', make: () => gzipSync(img, { level: 9 }), types: [0, 2] },
  { name: 'zlib level 6, memLevel 1 (blocks of 128 symbols)', make: () => gzipSync(img, { level: 6, memLevel: 1 }), types: [0, 1, 2] },
  { name: 'zlib fixed Huffman only', make: () => gzipSync(img, { level: 6, strategy: constants.Z_FIXED }), types: [1] },
  { name: 'zlib stored only (level 0)', make: () => gzipSync(img, { level: 0 }), types: [0] },
  { name: 'GNU gzip -1', make: () => gnuGzip(1), types: [2], needsTools: true },
  { name: 'GNU gzip -9', make: () => gnuGzip(9), types: [2], needsTools: true },
];

/** The deflate data's offset in a gzip file (RFC 1952 §2.3; the test files carry no extra fields but maybe a name). */
function gzipDataStart(gz: Uint8Array): number {
  let p = 10;
  if (gz[3] & 0x08) while (gz[p++] !== 0);
  return p;
}

async function scan(file: Uint8Array, start: number, end = file.length): Promise<{ boundaries: Boundary[]; decoded: number }> {
  const s = new BlockScanner(new SourceReader(new MemoryDisk(file), { start, end }), 'test data');
  while (await s.pull());
  return { boundaries: s.boundaries, decoded: s.decoded };
}

function blockType(file: Uint8Array, bit: number): number {
  const i = Math.floor(bit / 8);
  return (((file[i] | (file[i + 1] << 8)) >>> (bit % 8)) >>> 1) & 3;
}

/** Random changes of every placement the splice must handle, sorted and disjoint. */
function placements(boundaries: Boundary[], length: number, seed: number): ChangedRange[][] {
  const r = rng(seed);
  const inner = boundaries.filter((b) => b.u > 0 && b.u < length);
  const pick = () => inner[r() % inner.length].u;
  const bytes = (n: number, zero = false) => {
    const b = new Uint8Array(n);
    if (!zero) for (let i = 0; i < n; i++) b[i] = r() & 0xff;
    return b;
  };
  const inRegion = (kind: Region['kind']) => {
    const list = regions.filter((g) => g.kind === kind);
    const g = list[r() % list.length];
    return g.lo + 1000 + (r() % (g.hi - g.lo - 5000));
  };
  const cases: ChangedRange[][] = [];
  const add = (list: [number, Uint8Array][]) => {
    const clipped = list
      .map(([o, b]) => ({ offset: Math.max(0, o), bytes: b.subarray(0, Math.max(0, Math.min(b.length, length - Math.max(0, o)))) }))
      .filter((c) => c.bytes.length > 0)
      .sort((a, b) => a.offset - b.offset);
    const out: ChangedRange[] = [];
    for (const c of clipped) if (!out.length || out[out.length - 1].offset + out[out.length - 1].bytes.length <= c.offset) out.push(c);
    cases.push(out);
  };
  if (inner.length) {
    const b = pick();
    add([[b, bytes(1 + (r() % 600))]]); // at a block start
    const n = 1 + (r() % 600);
    add([[pick() - n, bytes(n)]]); // ending at a block end
    add([[pick() - 300, bytes(600)]]); // spanning a boundary
    const i = r() % Math.max(1, inner.length - 4);
    add([[inner[i].u - 50, bytes(inner[Math.min(inner.length - 1, i + 3)].u - inner[i].u + 100)]]); // spanning blocks
    add([[pick() + 1 + (r() % 2000), bytes(1 + (r() % 300))]]); // inside a block
    for (let k = 0; k < 4; k++) add([[pick() - 1, bytes(1)]]); // the last byte before a boundary: resume at the boundary
  }
  add([[inRegion('zeros'), bytes(4096)]]); // new data in a zero run
  add([[inRegion('zeros'), bytes(1)]]);
  add([[inRegion('random'), bytes(2048)]]); // in random data (stored blocks)
  add([[inRegion('random'), bytes(700, true)]]); // zeros over random data
  add([[inRegion('text'), bytes(300)]]);
  add([[inRegion('sparse'), bytes(512)]]);
  add([[0, bytes(512)]]); // the first bytes
  add([[length - 100, bytes(100)]]); // the last bytes: the final block
  const c = inRegion('text');
  add([[c, bytes(20)], [c + 100, bytes(20)], [c + 20_000, bytes(20)], [c + 60_000, bytes(20)]]); // close and far pairs
  add(
    Array.from({ length: 8 }, (_, k) => [Math.floor(((k + 0.5) * length) / 8) + (r() % 1000), bytes(1 + (r() % 3000))] as [number, Uint8Array]),
  ); // several changes through the whole image
  return cases;
}

/** What whole-block segments needed: last boundary ≤ the change to first boundary ≥ its end + 32 KiB, merged. */
function wholeBlockBytes(boundaries: Boundary[], decoded: number, changes: readonly ChangedRange[]): number {
  let total = 0;
  let open: { from: number; to: number } | null = null;
  for (const c of changes) {
    const from = [...boundaries].reverse().find((b) => b.u <= c.offset)!.u;
    const to = boundaries.find((b) => b.u >= c.offset + c.bytes.length + WINDOW)?.u ?? decoded;
    if (open && from <= open.to) open.to = Math.max(open.to, to);
    else {
      if (open) total += open.to - open.from;
      open = { from, to };
    }
  }
  return total + (open ? open.to - open.from : 0);
}

/** A bound the cut segments keep: each change, 32 KiB after it and a symbol (≤ 258 bytes) either side. */
function cutBound(changes: readonly ChangedRange[]): number {
  return changes.reduce((n, c) => n + c.bytes.length + WINDOW + 2 * 258, 0);
}

describe('deflate splice cutting blocks mid-way', () => {
  const encoded: Encoded[] = [];
  for (const e of encoders) if (!e.needsTools || tools) encoded.push({ name: e.name, gz: new Uint8Array(e.make()), types: e.types });

  it.each(encoded.map((e) => [e.name, e] as const))('%s: every placement inflates to the patched image (zlib and GNU gzip); fewer bytes re-encoded', async (_name, e) => {
    const start = gzipDataStart(e.gz);
    const { boundaries, decoded } = await scan(e.gz, start, e.gz.length - 8);
    expect(decoded).toBe(img.length);
    const types = new Set(boundaries.map((b) => blockType(e.gz, b.bit)));
    for (const t of e.types) expect(types.has(t), `block type ${t} in the stream`).toBe(true);
    let cut = 0;
    let whole = 0;
    for (const [k, changes] of placements(boundaries, img.length, 1000 + encoded.indexOf(e)).entries()) {
      const expected = applyToCopy(img, changes);
      const opened = await gzipCodec.open(new MemoryDisk(e.gz));
      const r = await opened.splice!(changes, { imageSizeHint: img.length });
      const out = realise(r.recipe, e.gz);
      expect(equalBytes(new Uint8Array(gunzipSync(out)), expected), `case ${k}: node:zlib`).toBe(true);
      if (tools) expect(equalBytes(new Uint8Array(runBytes('gzip', ['-dc'], { input: out })), expected), `case ${k}: gzip -dc`).toBe(true);
      expect(r.reencodedBytes, `case ${k}`).toBeLessThanOrEqual(cutBound(changes));
      cut += r.reencodedBytes;
      whole += wholeBlockBytes(boundaries, decoded, changes);
      await opened.close();
    }
    // Whole blocks of zeros cover hundreds of KiB; with cuts only the changes and their window remain.
    if (e.types.includes(2)) expect(cut).toBeLessThan(whole / 2);
    else expect(cut).toBeLessThanOrEqual(whole);
  }, 120_000);

  it.skipIf(!tools)('gzip -t accepts a spliced GNU gzip stream with changes in every kind of content', async () => {
    const gz = gnuGzip(6);
    const changes = regions.map((g, i) => ({ offset: g.lo + 777 * (i + 1), bytes: new Uint8Array(900).fill(i + 1) }));
    const opened = await gzipCodec.open(new MemoryDisk(gz));
    const r = await opened.splice!(changes, { imageSizeHint: img.length });
    const out = realise(r.recipe, gz);
    runBytes('gzip', ['-t'], { input: out });
    expect(equalBytes(new Uint8Array(runBytes('gzip', ['-dc'], { input: out })), applyToCopy(img, changes))).toBe(true);
  });

  it.skipIf(!tools).each([1, 6, 9])('Info-ZIP zip -%i: unzip -t passes and unzip -p gives the patched image', async (level) => {
    const t = tempDir('preflash-cut-');
    try {
      writeFileSync(t.path('disk.img'), img);
      runBytes('zip', ['-q', '-X', `-${level}`, 'disk.zip', 'disk.img'], { cwd: t.dir });
      const zip = new Uint8Array(readFileSync(t.path('disk.zip')));
      const opened0 = await zipCodec.open(new MemoryDisk(zip));
      expect(opened0.member).toBe('disk.img');
      // The member's deflate data starts after its local header (30 bytes + name; `zip -X` adds no extra field).
      const start = 30 + 'disk.img'.length;
      const { boundaries } = await scan(zip, start);
      for (const [k, changes] of placements(boundaries, img.length, 77 + level).entries()) {
        const opened = await zipCodec.open(new MemoryDisk(zip));
        const r = await opened.splice!(changes);
        const out = realise(r.recipe, zip);
        writeFileSync(t.path('out.zip'), out);
        runBytes('unzip', ['-tq', 'out.zip'], { cwd: t.dir });
        const back = new Uint8Array(runBytes('unzip', ['-p', 'out.zip', 'disk.img'], { cwd: t.dir }));
        expect(equalBytes(back, applyToCopy(img, changes)), `zip -${level} case ${k}`).toBe(true);
        expect(r.reencodedBytes).toBeLessThanOrEqual(cutBound(changes));
      }
    } finally {
      t.cleanup();
    }
  }, 120_000);
});

describe('block walker', () => {
  it('finds the symbols around any target inside a block, as the scanner saw the block', async () => {
    const gz = new Uint8Array(gzipSync(img, { level: 6, memLevel: 2 }));
    const { boundaries, decoded } = await scan(gz, 10, gz.length - 8);
    const input = new MemoryDisk(gz);
    const r = rng(5);
    for (let i = 0; i < boundaries.length; i++) {
      const b = boundaries[i];
      const end = i + 1 < boundaries.length ? boundaries[i + 1].u : decoded;
      if (end === b.u) continue;
      for (const target of [b.u, end - 1, b.u + (r() % (end - b.u))]) {
        const w = await walkBlock(input, b.bit, b.u, target);
        expect(w.block.startBit).toBe(b.bit);
        expect(w.before.u).toBeLessThanOrEqual(target);
        expect(w.after.u).toBeGreaterThanOrEqual(target);
        // A symbol is a literal, a match of ≤ 258 bytes or a stored byte.
        expect(w.after.u - w.before.u).toBeLessThanOrEqual(258);
        expect(w.after.bit).toBeGreaterThanOrEqual(w.before.bit);
        if (w.before.u === target) expect(w.before).toEqual(w.after);
      }
      // At the block's end the symbol found is its end-of-block code, and the next header follows.
      const atEnd = await walkBlock(input, b.bit, b.u, end);
      expect(atEnd.afterIsEnd).toBe(true);
      if (i + 1 < boundaries.length && atEnd.block.type !== 0) expect(atEnd.after.bit + atEnd.block.eob.n).toBe(boundaries[i + 1].bit);
    }
  });
});

describe('the placements reach every kind of cut and resume', () => {
  it('boundary, Huffman (also in the final block) and stored cuts; boundary, Huffman and stored resumes, and none at the end', async () => {
    const kinds = new Set<string>();
    for (const gz of [gzipSync(img, { level: 6 }), gzipSync(img, { level: 6, memLevel: 1 }), gzipSync(img, { level: 0 })]) {
      const file = new Uint8Array(gz);
      const { boundaries, decoded } = await scan(file, 10, file.length - 8);
      const scanner = new BlockScanner(new SourceReader(new MemoryDisk(file), { start: 10, end: file.length - 8 }), 'test data');
      while (await scanner.pull());
      for (const changes of placements(boundaries, decoded, 31)) {
        const ranges = changes.map((c) => ({ lo: c.offset, hi: c.offset + c.bytes.length }));
        for (const s of await planSegments(ranges, scanner, new MemoryDisk(file))) {
          kinds.add(`cut ${s.from.kind}${s.from.kind === 'huffman' && s.from.finalBit !== undefined ? ' final' : ''}`);
          kinds.add(`resume ${s.to?.kind ?? 'none'}`);
          // Segments never run backwards, and a resume never lies before its cut.
          if (s.to) expect(s.to.u).toBeGreaterThanOrEqual(s.from.u);
        }
      }
    }
    expect([...kinds].sort()).toEqual(['cut boundary', 'cut huffman', 'cut huffman final', 'cut stored', 'resume boundary', 'resume huffman', 'resume none', 'resume stored']);
  });
});

describe('stream walker cursor', () => {
  it('walks continued from the previous position, and reloads when the input runs out, find what fresh walks find', async () => {
    for (const gz of [gzipSync(img, { level: 9 }), gzipSync(img, { level: 6, memLevel: 1 }), gzipSync(img, { level: 1, strategy: constants.Z_FIXED })]) {
      const file = new Uint8Array(gz);
      const input = new MemoryDisk(file);
      const { boundaries, decoded } = await scan(file, 10, file.length - 8);
      // 16 bytes at first: nearly every walk runs out and is retried on more input.
      const walker = new StreamWalker(input, file.length, 16);
      const r = rng(9);
      for (let i = 0; i < boundaries.length; i += 1 + (r() % 3)) {
        const b = boundaries[i];
        const end = i + 1 < boundaries.length ? boundaries[i + 1].u : decoded;
        if (end === b.u) continue;
        const targets = [b.u + (r() % (end - b.u)), b.u + (r() % (end - b.u)), b.u + (r() % (end - b.u))].sort((x, y) => x - y);
        for (const t of targets) expect(await walker.cut(b.bit, b.u, t)).toEqual(await walkBlock(input, b.bit, b.u, t));
        // A resume from the cursor equals one walked from the block's header.
        const hi = targets[2];
        const changed = [{ lo: targets[0], hi }];
        const fresh = await new StreamWalker(input).resume(b.bit, b.u, hi, changed, Number.POSITIVE_INFINITY);
        expect(await walker.resume(b.bit, b.u, hi, changed, Number.POSITIVE_INFINITY)).toEqual(fresh);
      }
    }
  });
});
