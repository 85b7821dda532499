export type { Partition, PartitionTable } from './types.ts';
export { readPartitionTable } from './read-table.ts';
export { findConfigPartition, type ConfigPartitionChoice, type FatProbe } from './find-config-partition.ts';
export { looksLikeFatBootSector, readBpbLabel, fatVolumeBytes, fatBytesPerSector } from './fat-label.ts';
export { BOOT_NAMES, CONF_NAME } from './inspect-partition.ts';
