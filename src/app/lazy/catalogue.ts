// Loaded with import(): the device catalogue, off the first page's script.
export { listDevices } from '#core/index.ts';
