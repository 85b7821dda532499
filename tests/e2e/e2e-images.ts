/**
 * The Raspberry Pi image of the app's e2e flows: makeBalenaImage('raspberrypi')'s layout — an MBR
 * with a bootable 40 MiB FAT32 resin-boot holding the same files, ext4 resin-rootA, a second root
 * and resin-state and a data partition as logicals in an extended partition — with the partitions
 * the flows never open at 4 MiB instead of 24 and 8: 63 MiB, not 111.
 *
 * Why the size matters: the browser reads, hashes and re-encodes every byte of a chosen image, and
 * saved outputs are written into OPFS and downloaded, so each MiB costs each flow that uses it.
 * Why not smaller: resin-boot stays FAT32 with 512-byte clusters as on a real Pi image, which
 * needs ≥ 65,525 clusters (~33 MiB + FATs); the root and state partitions only have to be there
 * (inspect names them, a build must leave them untouched), not be big.
 */
import { createGunzip } from 'node:zlib';
import { makeImage, raspberryPiSpec, type MadeImage } from '../helpers/make-image.ts';

export function makeRaspberryPiImage(path: string): MadeImage {
  return makeImage(path, raspberryPiSpec({ rootMiB: 4, stateMiB: 4 }));
}

/** The Raspberry Pi image's boot partition ends here (4 MiB of MBR gap, then 40 MiB). */
export const RPI_BOOT_END = 44 * 2 ** 20;

/**
 * How many bytes of the gzip file `gz` decode to at least the first `rawBytes` bytes of the image:
 * where a cut leaves that much readable. Fed in 4 KiB pieces, so the answer is at most 4 KiB late.
 */
export async function gzipBytesFor(gz: Uint8Array, rawBytes: number): Promise<number> {
  const gunzip = createGunzip();
  let out = 0;
  gunzip.on('data', (chunk: Buffer) => (out += chunk.length));
  const ended = new Promise<void>((resolve) => gunzip.on('close', resolve));
  gunzip.on('error', () => {});
  try {
    for (let at = 0; at < gz.length; at += 4096) {
      await new Promise<void>((resolve, reject) => gunzip.write(gz.subarray(at, at + 4096), (e) => (e ? reject(e) : resolve())));
      if (out >= rawBytes) return Math.min(at + 4096, gz.length);
    }
    throw new Error(`the gzip file decodes to ${out} bytes, fewer than ${rawBytes}`);
  } finally {
    gunzip.destroy();
    await ended;
  }
}
