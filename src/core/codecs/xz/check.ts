import { crc32 } from '../../bytes/crc32.ts';
import { CoreError } from '../../errors.ts';
import { Crc64 } from './crc64.ts';
import { CHECK_CRC32, CHECK_CRC64, CHECK_NONE, CHECK_SHA256, checkName } from './format.ts';
import { Sha256 } from '../../bytes/sha256.ts';

/** An incremental block check (xz-file-format §3.4) over uncompressed data. */
export interface BlockCheck {
  update(bytes: Uint8Array): void;
  /** The check field as stored after the block. */
  digest(): Uint8Array;
}

/** True for the check types we can compute (to verify, and to write for re-emitted blocks). */
export function isKnownCheck(checkId: number): boolean {
  return checkId === CHECK_NONE || checkId === CHECK_CRC32 || checkId === CHECK_CRC64 || checkId === CHECK_SHA256;
}

export function createCheck(checkId: number): BlockCheck {
  switch (checkId) {
    case CHECK_NONE:
      return { update() {}, digest: () => new Uint8Array(0) };
    case CHECK_CRC32: {
      let crc = 0;
      return {
        update(bytes) {
          crc = crc32(bytes, crc);
        },
        digest() {
          const out = new Uint8Array(4);
          new DataView(out.buffer).setUint32(0, crc, true);
          return out;
        },
      };
    }
    case CHECK_CRC64:
      return new Crc64();
    case CHECK_SHA256:
      return new Sha256();
    default:
      throw new CoreError('ARCHIVE_UNSUPPORTED', `The .xz file uses ${checkName(checkId)}, an integrity check this program cannot compute.`);
  }
}
