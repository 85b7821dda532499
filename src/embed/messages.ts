/**
 * The embed's postMessage API, in one place for both sides: the `<preflash-configurator>` element
 * (src/embed/element.ts, in the docs page) and the app in embed mode (src/app/embed-mode.svelte.ts,
 * in the iframe). Every message is `{ type: 'preflash:…', … }`; each side reads what arrives with
 * the `read…` functions below (never a cast of `event.data`) and checks `event.origin` and
 * `event.source` before that (README "Embedding").
 *
 * In (page → app):  `preflash:set` — the element's attributes: device, preset, lock, compact, theme.
 * Out (app → page): `preflash:hello` (listening: send `set` now), `preflash:ready` (a `set` was
 * applied), `preflash:built` (a build summary, never a secret), `preflash:error` (code, message),
 * `preflash:resize` (the page's height, for the element's iframe).
 *
 * No DOM here: plain values, so the element's tiny bundle and the app share it.
 */

/** Parts of the configurator a page can fix (`lock="device,cloud"`); shown read-only in the app. */
export const LOCK_NAMES = ['device', 'hostname', 'wifi', 'ethernet', 'cellular', 'regional', 'proxy', 'ssh', 'wireguard', 'os', 'cloud', 'files'] as const;
export type LockName = (typeof LOCK_NAMES)[number];
/** Shorthands: `network` locks every network group, `vpn` the WireGuard group. */
const LOCK_ALIASES: Record<string, readonly LockName[]> = { network: ['wifi', 'ethernet', 'cellular', 'regional', 'proxy'], vpn: ['wireguard'] };

/** Theme keys: `--preflash-<key>` on the element becomes the app's own `--<key>` (app.css). */
export const THEME_KEYS = ['accent', 'accent-text', 'bg', 'surface', 'text', 'muted', 'border', 'focus', 'radius', 'font'] as const;
export type ThemeKey = (typeof THEME_KEYS)[number];
export type Theme = Partial<Record<ThemeKey, string>>;

export type EmbedErrorCode =
  | 'UNSUPPORTED' // the browser lacks what the configurator needs
  | 'INSECURE_CONTEXT' // the page is not HTTPS (or localhost)
  | 'LOAD_FAILED' // the configurator's page did not load
  | 'PRESET_FETCH_FAILED' // the preset URL could not be fetched
  | 'PRESET_INVALID' // the preset is not JSON, or the core's validator found problems
  | 'UNKNOWN_DEVICE' // no device type has the slug given
  | 'BUILD_FAILED'; // the build stopped with an error

export interface SetMessage {
  type: 'preflash:set';
  /** A device type slug (`raspberrypi4-64`); null clears the choice. */
  device?: string | null;
  /** Settings (version 1) as a JSON value: validated by the core in the app, problems shown. */
  preset?: unknown;
  lock?: string[];
  compact?: boolean;
  theme?: Theme;
}
export type InMessage = SetMessage;

export interface BuildSummary {
  /** The device type slug chosen, if any. */
  device: string | null;
  /** The boot-partition files written (paths and sizes only). */
  files: { path: string; size: number }[];
  output: { name: string; size: number; format: string };
}

export type OutMessage =
  | { type: 'preflash:hello' }
  | { type: 'preflash:ready'; device: string | null; locked: LockName[]; presetIssues: number }
  | { type: 'preflash:built'; summary: BuildSummary }
  | { type: 'preflash:error'; code: EmbedErrorCode; message: string }
  | { type: 'preflash:resize'; height: number };

/** The DOM event each out-message becomes on the element (`preflash:built` → `preflash-built`). */
export const eventName = (type: OutMessage['type']): string => type.replace(':', '-');

/**
 * The app's rule for its parent's origin (embed mode): the `origin` URL parameter, else the
 * browser's `location.ancestorOrigins[0]` (`ancestor`); when both exist they must agree. null =
 * talk to nobody. Safe against spoofing because the app also requires `event.source === parent`
 * and posts with the origin as targetOrigin (README "Embedding").
 */
export function parentOrigin(url: URL, ancestor: string | null | undefined): string | null {
  const claimed = url.searchParams.get('origin');
  const actual = ancestor && ancestor !== 'null' ? ancestor : null;
  if (claimed === null) return actual;
  let origin: string;
  try {
    origin = new URL(claimed).origin;
  } catch {
    return null;
  }
  if (origin !== claimed || !/^https?:/.test(origin)) return null;
  return actual === null || actual === origin ? origin : null;
}

/** `"device, cloud, network"` → the lock names, and the words that are none. */
export function parseLock(text: string | readonly string[]): { locks: LockName[]; unknown: string[] } {
  const words = (typeof text === 'string' ? text.split(/[\s,]+/) : [...text]).map((w) => w.trim().toLowerCase()).filter(Boolean);
  const locks = new Set<LockName>();
  const unknown: string[] = [];
  for (const w of words) {
    if ((LOCK_NAMES as readonly string[]).includes(w)) locks.add(w as LockName);
    else if (LOCK_ALIASES[w]) LOCK_ALIASES[w].forEach((l) => locks.add(l));
    else unknown.push(w);
  }
  return { locks: LOCK_NAMES.filter((l) => locks.has(l)), unknown };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const SLUG = /^[a-z0-9][a-z0-9._-]{0,63}$/;
/** A theme value: a colour, length or font list; nothing that loads (`url(`) or breaks out of a declaration. */
const THEME_VALUE = /^[\w\s#%.,()'"+-]{1,100}$/;

function readTheme(v: unknown): Theme | undefined {
  if (!isObject(v)) return undefined;
  const theme: Theme = {};
  for (const key of THEME_KEYS) {
    const value = v[key];
    if (typeof value === 'string' && THEME_VALUE.test(value.trim()) && !/url\s*\(/i.test(value)) theme[key] = value.trim();
  }
  return theme;
}

/** A `preflash:set` from `data`, with only the well-formed members kept; null when it is none. */
export function readInMessage(data: unknown): InMessage | null {
  if (!isObject(data) || data.type !== 'preflash:set') return null;
  const msg: SetMessage = { type: 'preflash:set' };
  if (data.device === null || (typeof data.device === 'string' && SLUG.test(data.device))) msg.device = data.device;
  if ('preset' in data && data.preset !== undefined) msg.preset = data.preset;
  if (Array.isArray(data.lock)) msg.lock = data.lock.filter((l): l is string => typeof l === 'string');
  if (typeof data.compact === 'boolean') msg.compact = data.compact;
  const theme = readTheme(data.theme);
  if (theme) msg.theme = theme;
  return msg;
}

const ERROR_CODES: readonly EmbedErrorCode[] = ['UNSUPPORTED', 'INSECURE_CONTEXT', 'LOAD_FAILED', 'PRESET_FETCH_FAILED', 'PRESET_INVALID', 'UNKNOWN_DEVICE', 'BUILD_FAILED'];
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** An out-message from `data`; null when it is none of them (or malformed). */
export function readOutMessage(data: unknown): OutMessage | null {
  if (!isObject(data) || typeof data.type !== 'string') return null;
  switch (data.type) {
    case 'preflash:hello':
      return { type: 'preflash:hello' };
    case 'preflash:ready':
      if ((data.device !== null && typeof data.device !== 'string') || !Array.isArray(data.locked) || !isCount(data.presetIssues)) return null;
      return { type: 'preflash:ready', device: data.device, locked: parseLock(data.locked.filter((l): l is string => typeof l === 'string')).locks, presetIssues: data.presetIssues };
    case 'preflash:built': {
      const s = data.summary;
      if (!isObject(s) || !Array.isArray(s.files) || !isObject(s.output)) return null;
      const o = s.output;
      if (typeof o.name !== 'string' || !isCount(o.size) || typeof o.format !== 'string') return null;
      const files = s.files.filter((f): f is { path: string; size: number } => isObject(f) && typeof f.path === 'string' && isCount(f.size)).map((f) => ({ path: f.path, size: f.size }));
      return { type: 'preflash:built', summary: { device: typeof s.device === 'string' ? s.device : null, files, output: { name: o.name, size: o.size, format: o.format } } };
    }
    case 'preflash:error':
      if (!ERROR_CODES.includes(data.code as EmbedErrorCode) || typeof data.message !== 'string') return null;
      return { type: 'preflash:error', code: data.code as EmbedErrorCode, message: data.message };
    case 'preflash:resize':
      return isCount(data.height) ? { type: 'preflash:resize', height: data.height } : null;
    default:
      return null;
  }
}
