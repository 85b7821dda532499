/**
 * GUID text → the 16 bytes GPT stores (UEFI 2.10 appendix A, "mixed-endian": the first three
 * fields little-endian, the last eight bytes in order). The inverse of partition/guid.ts.
 */
import { CoreError } from '../errors.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeGuid(guid: string): Uint8Array {
  if (!GUID.test(guid)) throw new CoreError('INTERNAL', `"${guid}" is not a GUID.`);
  const hex = guid.replace(/-/g, '');
  const b = Uint8Array.from({ length: 16 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
  return Uint8Array.of(b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6], ...b.subarray(8));
}
