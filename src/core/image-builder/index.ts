export { SparseDisk, SPARSE_CHUNK } from './sparse-disk.ts';
export { encodeTableSector, writeMbr, type MbrLayout, type MbrLogical, type MbrSlot } from './mbr-writer.ts';
export { writeGpt, gptUsableRange, type GptLayout, type GptPartitionSpec } from './gpt-writer.ts';
export { encodeGuid } from './guid-encode.ts';
export { buildDiskImage, type BuiltDiskImage, type BuiltPartition, type DiskImageSpec, type DiskPartitionSpec, type FatContent } from './disk-image.ts';
export { buildSampleImage, sampleBootFiles, SAMPLE_DEVICE_TYPE, SAMPLE_IMAGE_NAME, type SampleImage, type SampleImageOptions } from './sample-image.ts';
export { formatFat, planFatFormat, type FatFormatOptions, type FatFormatPlan } from '../fat/mkfs.ts';
