/** Little-endian fields: the core's one helper lives in bytes/ (kept here so imports stay short). */
export { u16, u32, u64 } from '../bytes/little-endian.ts';
