/**
 * The settings validator: every problem in a settings file, each naming its field path
 * (`network.wifi[1].passphrase: WPA passphrase must be 8–63 characters or 64 hex digits`).
 * Hand-written so the core stays dependency-free and the messages stay human; the JSON Schema
 * (settings.schema.json) describes the same structure for editors and other tools, and the tests
 * check both agree on it.
 */
import { CoreError } from '../errors.ts';
import { checkCloud } from './cloud.ts';
import { checkFiles } from './files.ts';
import { hostnameProblem } from './hostname.ts';
import { Issues, keyPath, type SettingsIssue } from './issues.ts';
import { checkNetwork } from './network.ts';
import { checkOs } from './os.ts';
import { checkObject, isPlainObject, stringField, type FieldCheck, type Fields, type Members } from './shape.ts';
import { checkSsh } from './ssh.ts';
import { SETTINGS_VERSION, type Settings } from './types.ts';
import { checkVpn } from './wireguard.ts';

export type { SettingsIssue } from './issues.ts';

export type SettingsValidation = { ok: true; settings: Settings } | { ok: false; issues: SettingsIssue[] };

const versionField: FieldCheck = (value, path, issues) => {
  if (value !== SETTINGS_VERSION) issues.add(path, `must be the number ${SETTINGS_VERSION}`);
};

const settingsFields: Fields<Settings> = {
  $schema: stringField(),
  version: versionField,
  hostname: stringField(hostnameProblem),
  network: checkNetwork,
  ssh: checkSsh,
  vpn: checkVpn,
  os: checkOs,
  cloud: checkCloud,
  files: checkFiles,
};

/** Files the typed settings already write; a `files` entry for them would be overwritten or clash. */
function checkGeneratedFileClashes(settings: Members<Settings>, issues: Issues): void {
  if (!isPlainObject(settings.files) || !isPlainObject(settings.network) || settings.network.proxy === undefined) return;
  for (const name of Object.keys(settings.files)) {
    if (['system-proxy/redsocks.conf', 'system-proxy/no_proxy'].includes(name.toLowerCase())) {
      issues.add(keyPath('files', name), 'clashes with network.proxy, which writes this file; use one or the other');
    }
  }
}

/** Validates parsed JSON; collects every issue rather than stopping at the first. */
export function validateSettings(input: unknown): SettingsValidation {
  const issues = new Issues();
  // A file from a newer (or older) format would drown in "unknown key" noise: say only that.
  if (isPlainObject(input) && typeof input.version === 'number' && input.version !== SETTINGS_VERSION) {
    issues.add('version', `this build of Preflash reads settings version ${SETTINGS_VERSION}; the file says ${input.version}`);
    return { ok: false, issues: issues.list };
  }
  if (!isPlainObject(input)) {
    issues.add('', 'must be a JSON object like {"version": 1, …}');
    return { ok: false, issues: issues.list };
  }
  const settings = checkObject(input, '', issues, settingsFields, ['version']);
  if (settings) checkGeneratedFileClashes(settings, issues);
  return issues.count === 0 ? { ok: true, settings: input as unknown as Settings } : { ok: false, issues: issues.list };
}

/** "line L, column C" for a JSON.parse error, when the engine reports a position. */
function jsonErrorLocation(text: string, error: unknown): string {
  const position = /position (\d+)/.exec(String((error as Error)?.message ?? ''));
  if (!position) return '';
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return ` at line ${line}, column ${column}`;
}

/**
 * Parses and validates settings JSON text. Throws CoreError('SETTINGS_INVALID') whose message is
 * the first issue and whose detail.issues lists them all.
 */
export function parseSettings(jsonText: string): Settings {
  const text = jsonText.replace(/^\uFEFF/, '');
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const issue: SettingsIssue = { path: '', message: `settings: not valid JSON${jsonErrorLocation(text, error)} (${(error as Error).message})` };
    throw new CoreError('SETTINGS_INVALID', issue.message, { issues: [issue] });
  }
  const result = validateSettings(input);
  if (!result.ok) throw new CoreError('SETTINGS_INVALID', result.issues[0].message, { issues: result.issues });
  return result.settings;
}
