export { FatVolume, type FatOpenOptions, type FatStat } from './volume.ts';
export { parseBootSector, type FatGeometry, type FatType } from './boot-sector.ts';
export { encodeFatDateTime, decodeFatDateTime, DEFAULT_TIMESTAMP, type FatDateTime } from './timestamps.ts';
export { lfnChecksum } from './long-name.ts';
export { generateShortName, plainShortName, formatShortName } from './short-name.ts';
