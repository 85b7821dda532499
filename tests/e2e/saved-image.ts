/**
 * Checks a saved image with independent tools (house style 8): fsck.fat -n on its boot partition,
 * mtools reads config.json and the Wi‑Fi profile, nmcli --offline parses the profile.
 *
 * Only the boot partition is written out for the tools: the rest of a saved image (~100 MB of a
 * demo or Raspberry Pi image, mostly zeros) is never read by them. A gzip output is decoded as a
 * stream to its end (so a bad CRC or a truncated member still fails the check), keeping only the
 * bytes up to the end of the boot partition: the whole image is never held in memory or written
 * to disk (gunzipSync of a 100 MiB image and its copy to .tmp took 2–7 s of a test here).
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, mkdirSync, openSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

export const hasTools = ['fsck.fat', 'mtype', 'nmcli'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

export interface SavedCheck {
  fsck: { status: number | null; output: string };
  configJson: Record<string, unknown>;
  /** `system-connections/<name>` → text, for the names asked. */
  profiles: Record<string, string>;
  /** nmcli --offline's reading of each profile (exit status and stderr). */
  nmcli: Record<string, { status: number | null; stderr: string }>;
}

/** MBR entry 1: start LBA at 454, sector count at 458 (little-endian), as byte offsets. */
function bootPartition(raw: Uint8Array): { start: number; end: number } {
  if (raw.length < 512) throw new Error(`the saved image has ${raw.length} bytes: no MBR`);
  const view = new DataView(raw.buffer, raw.byteOffset, 512);
  const start = view.getUint32(454, true) * 512;
  return { start, end: start + view.getUint32(458, true) * 512 };
}

/** The tools' reading of a FAT partition image `part`. */
function checkPartition(part: string, profiles: string[]): SavedCheck {
  const fsck = spawnSync('fsck.fat', ['-n', part], { encoding: 'utf8' });
  const mtype = (path: string) => {
    const r = spawnSync('mtype', ['-i', part, `::${path}`], { encoding: 'utf8', env: { ...process.env, MTOOLS_SKIP_CHECK: '1' } });
    if (r.status !== 0) throw new Error(`mtype ${path}: ${r.stderr}`);
    return r.stdout;
  };
  const result: SavedCheck = { fsck: { status: fsck.status, output: fsck.stdout + fsck.stderr }, configJson: JSON.parse(mtype('config.json')), profiles: {}, nmcli: {} };
  for (const p of profiles) {
    const text = mtype(`system-connections/${p}`);
    result.profiles[p] = text;
    const r = spawnSync('nmcli', ['--offline', 'connection', 'modify', 'connection.id', p], { input: text, encoding: 'utf8' });
    result.nmcli[p] = { status: r.status, stderr: r.stderr };
  }
  return result;
}

/** The boot partition's bytes, in their own file for the tools (which take no offset), checked. */
function checkBootBytes(part: Uint8Array, name: string, profiles: string[]): SavedCheck {
  mkdirSync('.tmp', { recursive: true });
  // The process id too: the same spec can run in both workers (--repeat-each).
  const path = `.tmp/${name}-${process.pid}-boot.fat`;
  writeFileSync(path, part);
  try {
    return checkPartition(path, profiles);
  } finally {
    rmSync(path, { force: true });
  }
}

/** A raw image's first bytes (at least up to the end of its boot partition): its boot partition checked. */
export function checkSavedImage(raw: Uint8Array, name: string, profiles: string[]): SavedCheck {
  const { start, end } = bootPartition(raw);
  if (raw.length < end) throw new Error(`the saved image ends at ${raw.length} bytes, inside its boot partition (${start}–${end})`);
  return checkBootBytes(raw.subarray(start, end), name, profiles);
}

/**
 * The image decoded from gzip as a stream, to the end (zlib checks the CRC and the length), but
 * kept only up to the end of its boot partition.
 */
async function gunzipHead(source: AsyncIterable<Uint8Array> | Uint8Array[]): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  let have = 0;
  let need = Infinity;
  const keep = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (have < need) {
        chunks.push(chunk);
        have += chunk.length;
        if (need === Infinity && have >= 512) need = bootPartition(Buffer.concat(chunks)).end;
      }
      callback();
    },
  });
  await pipeline(Readable.from(source), createGunzip({ chunkSize: 1 << 20 }), keep);
  return Buffer.concat(chunks);
}

/**
 * A saved image — its bytes or a path to it, raw or gzip — checked with fsck.fat -n, mtools and
 * nmcli --offline (see the top of the file for what is decoded and written).
 */
export async function checkSaved(saved: Uint8Array | string, name: string, profiles: string[]): Promise<SavedCheck> {
  const head = typeof saved === 'string' ? await firstBytes(saved, 2) : saved.subarray(0, 2);
  const gzip = head[0] === 0x1f && head[1] === 0x8b;
  if (gzip) return checkSavedImage(await gunzipHead(typeof saved === 'string' ? createReadStream(saved, { highWaterMark: 1 << 20 }) : [saved]), name, profiles);
  if (typeof saved !== 'string') return checkSavedImage(saved, name, profiles);
  // A raw file: the MBR, then its boot partition only.
  const fd = openSync(saved, 'r');
  try {
    const mbr = Buffer.alloc(512);
    readSync(fd, mbr, 0, 512, 0);
    const { start, end } = bootPartition(mbr);
    const part = Buffer.alloc(end - start);
    const n = readSync(fd, part, 0, part.length, start);
    if (n < part.length) throw new Error(`${saved} ends inside its boot partition (${start}–${end})`);
    return checkBootBytes(part, name, profiles);
  } finally {
    closeSync(fd);
  }
}

async function firstBytes(path: string, n: number): Promise<Uint8Array> {
  for await (const chunk of createReadStream(path, { start: 0, end: n - 1 })) return chunk as Buffer;
  return new Uint8Array(0);
}
