export * from './types.ts';
export { validateSettings, parseSettings, type SettingsValidation, type SettingsIssue } from './validate.ts';
export { redactSettings, REDACTED } from './redact.ts';
export { parseSshPublicKey, SSH_KEY_TYPES, MIN_RSA_BITS, type SshPublicKey, type SshKeyType, type SshKeyParse } from './ssh-key.ts';
export { countryName } from './country.ts';
export { COUNTRY_NAMES } from './country-codes.ts';
export { effectiveSecurity } from './wifi.ts';
