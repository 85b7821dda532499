/**
 * Checks a saved image with independent tools (house style 8): fsck.fat -n on its boot partition,
 * mtools reads config.json and the Wi‑Fi profile, nmcli --offline parses the profile.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export const hasTools = ['fsck.fat', 'mtype', 'nmcli'].every((t) => spawnSync('sh', ['-c', `command -v ${t}`]).status === 0);

export interface SavedCheck {
  fsck: { status: number | null; output: string };
  configJson: Record<string, unknown>;
  /** `system-connections/<name>` → text, for the names asked. */
  profiles: Record<string, string>;
  /** nmcli --offline's reading of each profile (exit status and stderr). */
  nmcli: Record<string, { status: number | null; stderr: string }>;
}

/** Writes `bytes` (gunzipped when gzip) to `.tmp/<name>.img`, and checks its first MBR partition. */
export function checkSavedImage(bytes: Uint8Array, name: string, profiles: string[]): SavedCheck {
  const raw = bytes[0] === 0x1f && bytes[1] === 0x8b ? new Uint8Array(gunzipSync(bytes)) : bytes;
  mkdirSync('.tmp', { recursive: true });
  const image = `.tmp/${name}.img`;
  writeFileSync(image, raw);
  // MBR entry 1: start LBA at 454, sector count at 458 (little-endian).
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const start = view.getUint32(454, true) * 512;
  const length = view.getUint32(458, true) * 512;
  const part = `.tmp/${name}-boot.fat`;
  writeFileSync(part, raw.subarray(start, start + length));
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
