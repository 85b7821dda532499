/**
 * `os`: host OS options. udev rule names become /etc/udev/rules.d/<name>.rules on the device
 * (config.json `os.udevRules`), so a name is one plain file-name stem.
 */
import { booleanField, checkObject, mapField, nonEmpty, stringField, type FieldCheck, type Fields } from './shape.ts';
import type { OsSettings } from './types.ts';

export function udevRuleNameProblem(name: string): string | undefined {
  if (name.endsWith('.rules') && name.length > 6) return `the name must not end in ".rules" (it is added): use "${name.slice(0, -6)}"`;
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(name)) {
    return 'a udev rule name is 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit (like "99-serial")';
  }
  return undefined;
}

const osFields: Fields<OsSettings> = {
  persistentLogging: booleanField,
  developmentMode: booleanField,
  udevRules: mapField(udevRuleNameProblem, stringField(nonEmpty)),
};

export const checkOs: FieldCheck = (value, path, issues) => checkObject(value, path, issues, osFields);
