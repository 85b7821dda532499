// The core's public surface: hosts (src/cli, workers/, src/app) import the core from here and
// nowhere else (tests/unit/boundaries.test.ts enforces it). Re-exports only.

// Errors and warnings: stable codes, complete sentences.
export { CoreError, isCoreError, throwIfAborted, type CoreErrorCode } from './errors.ts';
export { warning, type CoreWarning, type CoreWarningCode } from './warnings.ts';

// Bytes in and out.
export type { ByteSource, ByteStore } from './io/byte-source.ts';
export { MemoryDisk, checkRange } from './io/memory.ts';
export { SectorOverlay, type ChangedRange } from './io/overlay.ts';
export { writeRecipe, recipeInputBytes, type OutputRecipe, type RecipeSegment, type WriteRecipeOptions } from './io/recipe.ts';
export { sourceStream } from './io/source-stream.ts';
// Incremental SHA-256 (also the download cache's check, which WebCrypto cannot do streamed).
export { Sha256 } from './bytes/sha256.ts';
export { concat } from './bytes/concat.ts';

// Opening images: format detection and lazy decoding.
export { detectCodec } from './codecs/detect.ts';
export { magicOf, type Magic } from './codecs/detect-magic.ts';
export { codecs } from './codecs/registry.ts';
export type { Codec, CodecId, OpenedImage, ProgressEvent, ProgressPhase, SpliceOptions, SpliceResult, WriteSummary } from './codecs/codec.ts';
export { openImageFile, type OpenFileOptions, type OpenedImageFile } from './pipeline/open-stream.ts';
export type { InflateEngine, InflateStream } from './codecs/deflate/engine.ts';

// The jobs.
export { configureFile, rawRecipe, type ConfigureFileOptions, type ConfigureFileResult, type OutputChoice } from './pipeline/configure-file.ts';
export { planConfiguration, type ConfigureOptions, type ConfigurePlan } from './pipeline/configure-image.ts';
export { inspectImage, type InspectOptions, type InspectReport, type InspectedPartition, type FilesystemKind } from './pipeline/inspect-image.ts';
export type { ImageFacts } from './pipeline/image-facts.ts';
export { buildBundle } from './pipeline/bundle.ts';
export { resolveTimestamp, timestampFromEpoch, DEFAULT_TIMESTAMP, MIN_TIMESTAMP, MAX_TIMESTAMP } from './pipeline/timestamp.ts';

// Settings: parse, validate, check as you type, redact.
export {
  parseSettings,
  validateSettings,
  checkSettings,
  redactSettings,
  REDACTED,
  type SettingsIssue,
  type SettingsValidation,
  type SettingsCheck,
  type CheckSettingsOptions,
} from './settings/index.ts';
export * from './settings/types.ts';
// Field paths as the validator writes them (for showing a problem beside its field).
export { keyPath, indexPath } from './settings/values.ts';
// Single-field rules for live form hints (problem text without the path, or undefined).
export {
  hostnameProblem,
  dnsNameProblem,
  ssidProblem,
  passphraseProblem,
  effectiveSecurity,
  wireguardKeyProblem,
  countryProblem,
  countryName,
  COUNTRY_NAMES,
  ipAddressProblem,
  cidrProblem,
  endpointProblem,
  bootFilePathProblem,
} from './settings/index.ts';

// Keys.
export { parseSshPublicKey, sshPublicKeyProblem, SSH_KEY_TYPES, MIN_RSA_BITS, type SshPublicKey, type SshKeyType, type SshKeyParse } from './settings/index.ts';
export { wireguardPublicKey } from './balena/wireguard-key.ts';

// What gets written.
export { generateBootFiles, type BootFile } from './balena/index.ts';

// The device catalogue.
export { listDevices, findDevice, requireDevice, deviceSummary, expectedBootLabels, isInstaller, type DeviceSummary } from './catalogue/index.ts';
export { searchDevices, searchDeviceMatches, installLabel, installSteps, type DeviceMatch, type SearchOptions } from './catalogue/index.ts';
export type { DeviceType, Capabilities, Support, UserNote, Arch, Status, Install, ContractFacts } from './catalogue/index.ts';
