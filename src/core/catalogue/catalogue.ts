/**
 * The device catalogue: look-ups over the device types in device-types/*.json (embedded by
 * scripts/gen-catalogue.mjs into devices.generated.ts, so this works unchanged in Node and in a
 * Web Worker without fetching anything).
 */
import { CoreError } from '../errors.ts';
import type { Arch, DeviceType, Install, Status, Support } from './device-type.generated.ts';
import { DEVICE_TYPES } from './devices.generated.ts';
import { closestMatch } from './suggest.ts';

/** The small per-device record for pickers and `preflash devices --json`. */
export interface DeviceSummary {
  slug: string;
  name: string;
  aliases: string[];
  manufacturer: string;
  family: string;
  arch: Arch;
  status: Status;
  wifi: Support;
  bluetooth: Support;
  /** How the OS gets onto the board: card, installer, vendor-tool (with tool) or virtual-machine. */
  install: Install;
  /** true = the default download is an installer image that erases the device's internal disk (install.method "installer"). */
  flasher: boolean;
  /** Fields that came from balena's device-type contracts (commit in the device file); [] = all hand-written. */
  fromContracts: string[];
}

/** Display order of statuses: what users can still get images for comes first. */
const STATUS_ORDER: readonly Status[] = ['current', 'unmaintained', 'discontinued', 'removed'];

function compareForDisplay(collator: Intl.Collator): (a: DeviceType, b: DeviceType) => number {
  return (a, b) =>
    STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
    collator.compare(a.family, b.family) ||
    collator.compare(a.name, b.name) ||
    collator.compare(a.slug, b.slug);
}

// Built on first use, not on import: planning a raw image imports the catalogue but rarely needs
// the display order, and an Intl.Collator is a noticeable part of the CLI's start-up (issue 7).
let sortedCache: readonly DeviceType[] | undefined;
function sorted(): readonly DeviceType[] {
  // Numeric collation so "Raspberry Pi 4" sorts before "Raspberry Pi 400".
  return (sortedCache ??= [...DEVICE_TYPES].sort(compareForDisplay(new Intl.Collator('en', { numeric: true, sensitivity: 'base' }))));
}

/** Slugs first, then aliases, so a slug wins if an alias ever collides with one (tests forbid that). */
let byKeyCache: ReadonlyMap<string, DeviceType> | undefined;
function byKey(): ReadonlyMap<string, DeviceType> {
  if (byKeyCache) return byKeyCache;
  const map = new Map<string, DeviceType>();
  for (const d of DEVICE_TYPES) map.set(d.slug.toLowerCase(), d);
  for (const d of DEVICE_TYPES) for (const alias of d.aliases) if (!map.has(alias.toLowerCase())) map.set(alias.toLowerCase(), d);
  return (byKeyCache = map);
}

function normalise(input: string): string {
  return input.trim().toLowerCase();
}

/**
 * Every device type, in display order: by status (current, unmaintained, discontinued, removed),
 * then family, then name (numeric-aware). A new array each call; the entries are shared, do not mutate them.
 */
export function listDevices(): DeviceType[] {
  return [...sorted()];
}

/** The device type whose slug or alias is `slugOrAlias` (case-insensitive, surrounding spaces ignored). */
export function findDevice(slugOrAlias: string): DeviceType | undefined {
  return byKey().get(normalise(slugOrAlias));
}

/** Like findDevice, but throws DEVICE_UNKNOWN with a suggestion when nothing matches. */
export function requireDevice(slugOrAlias: string): DeviceType {
  const found = findDevice(slugOrAlias);
  if (found) return found;
  const typed = normalise(slugOrAlias);
  const guess = closestMatch(typed, [...byKey().keys()]);
  const suggestion = guess === undefined ? undefined : byKey().get(guess)!.slug;
  const hint = suggestion === undefined ? '' : `; did you mean '${suggestion}'?`;
  throw new CoreError('DEVICE_UNKNOWN', `Unknown device type '${slugOrAlias}'${hint} (preflash devices lists them)`, {
    input: slugOrAlias,
    ...(suggestion === undefined ? {} : { suggestion }),
  });
}

export function deviceSummary(d: DeviceType): DeviceSummary {
  return {
    slug: d.slug,
    name: d.name,
    aliases: [...d.aliases],
    manufacturer: d.manufacturer,
    family: d.family,
    arch: d.arch,
    status: d.status,
    wifi: d.capabilities.wifi,
    bluetooth: d.capabilities.bluetooth,
    install: { ...d.install, ...(d.install.media ? { media: [...d.install.media] } : {}) },
    flasher: d.install.method === 'installer',
    fromContracts: d.contractFacts ? [...d.contractFacts.fields] : [],
  };
}

/** true = the default download is an installer image: booting it erases the board's internal storage. */
export function isInstaller(d: DeviceType): boolean {
  return d.install.method === 'installer';
}

/**
 * The boot-partition labels (GPT name or FAT label) an image of this device may carry: the default
 * download's label first, then other variants (older raw images, the installed disk, raw artefacts);
 * [] when the catalogue does not know the layout (the finder then decides from the image alone).
 * For the engine's device-vs-image cross-check; compare case-insensitively (balenaOS writes lower
 * case, some old images upper case — reference balenaos.md §2.2).
 */
export function expectedBootLabels(d: DeviceType): string[] {
  const boot = d.image?.bootPartition;
  return boot ? [boot.label, ...boot.otherLabels] : [];
}
