/**
 * `network.cellular`: a GSM/LTE connection (NetworkManager type=gsm). APNs are dot-separated
 * labels of letters, digits and '-' (3GPP TS 23.003 §9.1, at most 100 octets); '_' is tolerated
 * because some operators use it. SIM PINs are 4–8 digits (3GPP TS 31.101 / ETSI TS 102 221).
 */
import { allOf, checkObject, nonEmpty, singleLine, stringField, type FieldCheck, type Fields } from './shape.ts';
import type { CellularSettings } from './types.ts';

export function apnProblem(apn: string): string | undefined {
  if (apn.length === 0) return 'must not be empty';
  if (apn.length > 100) return `must be at most 100 characters; it has ${apn.length}`;
  if (!/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/.test(apn)) return `"${apn}" is not an APN (letters, digits and '-' between dots, like "internet.example.com")`;
  return undefined;
}

export function pinProblem(pin: string): string | undefined {
  return /^[0-9]{4,8}$/.test(pin) ? undefined : 'a SIM PIN is 4–8 digits';
}

const cellularFields: Fields<CellularSettings> = {
  apn: stringField(apnProblem),
  username: stringField(allOf(nonEmpty, singleLine)),
  password: stringField(allOf(nonEmpty, singleLine)),
  pin: stringField(pinProblem),
};

export const checkCellular: FieldCheck = (value, path, issues) => checkObject(value, path, issues, cellularFields, ['apn']);
