/**
 * Settings that are legal but probably not what the user meant: the validator accepts them, the
 * device would use them as written, and a typo there costs a trip to the device. Each becomes a
 * warning naming the settings path, so a form can show it beside the field.
 *
 * Works on the raw value (like the validator), so it can run on every keystroke of a form whose
 * settings are not valid yet; members of the wrong type are skipped, not reported twice.
 */
import { warning, type CoreWarning } from '../warnings.ts';
import { indexPath, keyPath } from './issues.ts';
import { isPlainObject } from './shape.ts';

/** C0 controls, DEL and C1 controls: invisible in most UIs, and rarely part of a real SSID. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/u;

/** White space that is not a control character (those get their own warning): ' ', NBSP, U+3000… */
const BLANK = '[^\\S\\u0000-\\u001f\\u007f-\\u009f]';
const LEADING = new RegExp(`^${BLANK}`, 'u');
const TRAILING = new RegExp(`${BLANK}$`, 'u');

function edgeSpace(text: string): 'start' | 'end' | 'both' | undefined {
  const start = LEADING.test(text);
  const end = TRAILING.test(text);
  return start && end ? 'both' : start ? 'start' : end ? 'end' : undefined;
}

const edgeWords = { start: 'starts', end: 'ends', both: 'starts and ends' } as const;

export function ssidWarnings(ssid: string, path: string): CoreWarning[] {
  const out: CoreWarning[] = [];
  const control = CONTROL.exec(ssid);
  if (control) {
    const code = `U+${control[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    out.push(warning('SETTINGS_SUSPICIOUS', `${path}: the SSID ${JSON.stringify(ssid)} contains the control character ${code}; check it was not pasted by mistake.`, path));
  }
  const edge = edgeSpace(ssid);
  if (edge) {
    out.push(warning('SETTINGS_SUSPICIOUS', `${path}: the SSID ${JSON.stringify(ssid)} ${edgeWords[edge]} with a space; the device only joins a network whose name matches exactly.`, path));
  }
  return out;
}

export function passphraseWarnings(passphrase: string, path: string): CoreWarning[] {
  const edge = edgeSpace(passphrase);
  if (!edge) return [];
  return [warning('SETTINGS_SUSPICIOUS', `${path}: the passphrase ${edgeWords[edge]} with a space; spaces count, so check they are really part of it.`, path)];
}

/** Every suspicious value in a settings value (parsed JSON, valid or not). */
export function suspiciousSettings(input: unknown): CoreWarning[] {
  if (!isPlainObject(input) || !isPlainObject(input.network) || !Array.isArray(input.network.wifi)) return [];
  const out: CoreWarning[] = [];
  input.network.wifi.forEach((wifi: unknown, i: number) => {
    if (!isPlainObject(wifi)) return;
    const path = indexPath('network.wifi', i);
    if (typeof wifi.ssid === 'string') out.push(...ssidWarnings(wifi.ssid, keyPath(path, 'ssid')));
    if (typeof wifi.passphrase === 'string') out.push(...passphraseWarnings(wifi.passphrase, keyPath(path, 'passphrase')));
  });
  return out;
}
