// Loaded with import(): the device catalogue, its search and install texts, off the first page's script.
export { listDevices, searchDevices, installLabel, installSteps } from '#core/index.ts';
