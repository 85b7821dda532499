export { listDevices, findDevice, requireDevice, deviceSummary, expectedBootLabels, isInstaller } from './catalogue.ts';
export type { DeviceSummary } from './catalogue.ts';
export { searchDevices, searchDeviceMatches } from './search.ts';
export type { DeviceMatch, SearchOptions } from './search.ts';
export { installLabel, installSteps } from './install.ts';
export type {
  Arch,
  BootPartition,
  Capabilities,
  ContractFacts,
  DeviceType,
  Download,
  ImageArchive,
  ImageLayout,
  Install,
  Status,
  Support,
  UserNote,
} from './device-type.generated.ts';
