/**
 * Partition type codes: display names and which types hold FAT filesystems (balenaos.md §1.1,
 * §1.2, §2.2). Names follow util-linux's fdisk where balenaos.md does not say otherwise.
 */

const MBR_TYPE_NAMES: Record<number, string> = {
  0x01: 'FAT12',
  0x04: 'FAT16 <32M',
  0x05: 'Extended',
  0x06: 'FAT16',
  0x07: 'HPFS/NTFS/exFAT',
  0x0b: 'FAT32',
  0x0c: 'FAT32 (LBA)',
  0x0e: 'FAT16 (LBA)',
  0x0f: 'Extended (LBA)',
  0x82: 'Linux swap',
  0x83: 'Linux',
  0x85: 'Linux extended',
  0x8e: 'Linux LVM',
  0xda: 'Non-FS data',
  0xee: 'GPT protective',
  0xef: 'EFI System',
  0xfd: 'Linux RAID',
};

/** MBR types that chain to EBRs. */
export const MBR_EXTENDED_TYPES: ReadonlySet<number> = new Set([0x05, 0x0f, 0x85]);

/** MBR types of FAT filesystems (balenaos.md §2.4 step 2). */
export const MBR_FAT_TYPES: ReadonlySet<number> = new Set([0x01, 0x04, 0x06, 0x0b, 0x0c, 0x0e]);

export const MBR_GPT_PROTECTIVE = 0xee;

export const GPT_EFI_SYSTEM = 'C12A7328-F81F-11D2-BA4B-00A0C93EC93B';
export const GPT_BASIC_DATA = 'EBD0A0A2-B9E5-4433-87C0-68B6B72699C7';

const GPT_TYPE_NAMES: Record<string, string> = {
  [GPT_EFI_SYSTEM]: 'EFI System',
  [GPT_BASIC_DATA]: 'Microsoft basic data',
  'E3C9E316-0B5C-4DB8-817D-F92DF00215AE': 'Microsoft reserved',
  '21686148-6449-6E6F-744E-656564454649': 'BIOS boot',
  '0FC63DAF-8483-4772-8E79-3D69D8477DE4': 'Linux filesystem',
  '0657FD6D-A4AB-43C4-84E5-0933C84B4F4F': 'Linux swap',
  '4F68BCE3-E8CD-4DB1-96E7-FBCAF984B709': 'Linux root (x86-64)',
  'B921B045-1DF0-41C3-AF44-4C6F280D3FAE': 'Linux root (ARM-64)',
  '69DAD710-2CE4-4E3C-B16C-21A1D49ABED3': 'Linux root (ARM)',
  '933AC7E1-2EB4-4F13-B844-0E14E2AEF915': 'Linux home',
  'E6D6D379-F507-44C2-A23C-238F2A3DF928': 'Linux LVM',
  'A19D880F-05FC-4D3B-A006-743F0F84911E': 'Linux RAID',
};

/** '0x0c' style lower-case hex, as Partition.type stores MBR types. */
export function mbrTypeCode(type: number): string {
  return '0x' + type.toString(16).padStart(2, '0');
}

export function mbrTypeName(type: number): string {
  return MBR_TYPE_NAMES[type] ?? 'Unknown';
}

export function gptTypeName(typeGuid: string): string {
  return GPT_TYPE_NAMES[typeGuid] ?? 'Unknown';
}

/** True when the table's type says the partition holds FAT (the content may still disagree). */
export function isFatType(kind: 'mbr' | 'gpt' | 'none', type: string): boolean {
  if (kind === 'gpt') return type === GPT_EFI_SYSTEM || type === GPT_BASIC_DATA;
  if (kind === 'mbr') return MBR_FAT_TYPES.has(parseInt(type, 16)) || type === '0xef';
  return false;
}
