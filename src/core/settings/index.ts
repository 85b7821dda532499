export * from './types.ts';
export { validateSettings, parseSettings, type SettingsValidation, type SettingsIssue } from './validate.ts';
export { redactSettings, REDACTED } from './redact.ts';
export { checkSettings, type SettingsCheck, type CheckSettingsOptions } from './check.ts';
export { parseSshPublicKey, SSH_KEY_TYPES, MIN_RSA_BITS, type SshPublicKey, type SshKeyType, type SshKeyParse } from './ssh-key.ts';
export { countryName } from './country.ts';
export { COUNTRY_NAMES } from './country-codes.ts';
export { effectiveSecurity } from './wifi.ts';
// Single-field rules (problem text without the path, or undefined) for live form hints; the
// whole-file validateSettings remains the authority.
export { hostnameProblem, dnsNameProblem } from './hostname.ts';
export { ssidProblem, passphraseProblem } from './wifi.ts';
export { wireguardKeyProblem } from './wireguard.ts';
export { countryProblem } from './country.ts';
export { ipAddressProblem, cidrProblem } from './ip.ts';
export { endpointProblem } from './endpoint.ts';
export { bootFilePathProblem } from './files.ts';
export { sshPublicKeyProblem } from './ssh-key.ts';
