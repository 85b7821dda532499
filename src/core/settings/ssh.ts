/** `ssh`: public keys for root on port 22222 (config.json `os.sshKeys`). */
import { indexPath } from './issues.ts';
import { arrayField, checkObject, type FieldCheck, type Fields } from './shape.ts';
import { parseSshPublicKey } from './ssh-key.ts';
import type { SshSettings } from './types.ts';

/** Each key must parse; the same key twice (even with another comment) is a paste mistake. */
const checkAuthorizedKeys: FieldCheck = (value, path, issues) => {
  if (!Array.isArray(value)) return arrayField(() => undefined)(value, path, issues);
  const seen = new Map<string, number>();
  value.forEach((line, i) => {
    const itemPath = indexPath(path, i);
    if (typeof line !== 'string') return issues.add(itemPath, 'must be a string');
    const parsed = parseSshPublicKey(line);
    if (!parsed.ok) return issues.add(itemPath, parsed.problem);
    const first = seen.get(parsed.key.fingerprint);
    if (first !== undefined) issues.add(itemPath, `same key as ${indexPath(path, first)} (${parsed.key.fingerprint})`);
    else seen.set(parsed.key.fingerprint, i);
  });
};

const sshFields: Fields<SshSettings> = { authorizedKeys: checkAuthorizedKeys };

export const checkSsh: FieldCheck = (value, path, issues) => checkObject(value, path, issues, sshFields);
