/**
 * GUIDs as stored by GPT (UEFI 2.10 appendix A): the first three fields little-endian, the last
 * eight bytes in order — "mixed-endian". Rendered upper-case like sfdisk and the UEFI spec.
 */
export function decodeGuid(b: Uint8Array, at: number): string {
  const hex = (i: number) => b[at + i].toString(16).padStart(2, '0');
  const run = (indexes: number[]) => indexes.map(hex).join('');
  return [run([3, 2, 1, 0]), run([5, 4]), run([7, 6]), run([8, 9]), run([10, 11, 12, 13, 14, 15])].join('-').toUpperCase();
}

export function isZeroGuid(b: Uint8Array, at: number): boolean {
  for (let i = 0; i < 16; i++) if (b[at + i] !== 0) return false;
  return true;
}
