import { accessSync, constants, statfsSync } from 'node:fs';

/**
 * Room /dev/shm must have before test files go there: a container's /dev/shm is often 64 MiB, and
 * one test file may write several 111 MiB images.
 */
export const MEMORY_FOLDER_ROOM = 4 * 2 ** 30;

/**
 * /dev/shm when it is writable and has MEMORY_FOLDER_ROOM bytes free, else null. Files there never
 * wait for a busy disk's writeback, and reading one back costs a few ms where /tmp's disk cost ~0.2 s
 * of CPU per 111 MiB.
 */
export function memoryFolder(): string | null {
  try {
    accessSync('/dev/shm', constants.W_OK);
    const { bavail, bsize } = statfsSync('/dev/shm');
    return bavail * bsize >= MEMORY_FOLDER_ROOM ? '/dev/shm' : null;
  } catch {
    return null;
  }
}
