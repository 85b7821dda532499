/**
 * PEM text (RFC 7468) for 802.1X certificates and keys. We only check the armour, so a pasted
 * file name or a DER blob is caught; NetworkManager parses the contents on the device.
 */
export function pemProblem(text: string, kind: 'certificate' | 'private key'): string | undefined {
  const label = kind === 'certificate' ? 'CERTIFICATE' : '(?:RSA |EC |DSA |ENCRYPTED )?PRIVATE KEY';
  const example = kind === 'certificate' ? '-----BEGIN CERTIFICATE-----' : '-----BEGIN PRIVATE KEY-----';
  const armoured = new RegExp(`-----BEGIN ${label}-----[\\s\\S]+?-----END ${label}-----`);
  if (!armoured.test(text)) return `must be the PEM text of a ${kind}, starting with "${example}"`;
  return undefined;
}

/** Whether a PEM private key is password-protected (PKCS#8 encrypted, or legacy Proc-Type). */
export function isEncryptedPem(text: string): boolean {
  return text.includes('-----BEGIN ENCRYPTED PRIVATE KEY-----') || /Proc-Type:\s*4,ENCRYPTED/.test(text);
}
