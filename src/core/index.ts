// The core's public surface for hosts (CLI, worker, app). Re-exports only.
export { CoreError, isCoreError, type CoreErrorCode } from './errors.ts';
export type { ByteSink, ByteSource, ByteStore } from './io/byte-source.ts';
export { MemoryDisk } from './io/memory.ts';
export { SectorOverlay, type ChangedRange } from './io/overlay.ts';
export { planConfiguration, type ConfigureOptions, type ConfigurePlan } from './pipeline/configure-image.ts';
export { configureFile, type ConfigureFileOptions, type ConfigureFileResult, type OutputChoice } from './pipeline/configure-file.ts';
export type { OutputRecipe, RecipeSegment } from './io/recipe.ts';
export { writeRecipe, recipeInputBytes } from './io/recipe.ts';
export { inspectImage, type InspectReport } from './pipeline/inspect-image.ts';
export { buildBundle } from './pipeline/bundle.ts';
export { timestampFromEpoch, DEFAULT_TIMESTAMP } from './pipeline/timestamp.ts';
export { detectCodec } from './codecs/detect.ts';
export type { Codec, CodecId, OpenedImage, ProgressEvent } from './codecs/codec.ts';
export { parseSettings, validateSettings, redactSettings, type SettingsIssue } from './settings/index.ts';
export type { Settings } from './settings/types.ts';
export { listDevices, findDevice, requireDevice, deviceSummary, type DeviceType } from './catalogue/index.ts';
export { generateBootFiles, wireguardPublicKey, type BootFile } from './balena/index.ts';
export { openImageFile, type OpenFileOptions, type OpenedImageFile } from './pipeline/open-stream.ts';
