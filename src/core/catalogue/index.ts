export { listDevices, findDevice, requireDevice, deviceSummary, expectedBootLabels } from './catalogue.ts';
export type { DeviceSummary } from './catalogue.ts';
export type {
  Arch,
  BootPartition,
  Capabilities,
  DeviceType,
  Download,
  ImageArchive,
  ImageLayout,
  Status,
  Support,
  UserNote,
} from './device-type.generated.ts';
