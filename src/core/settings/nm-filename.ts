/**
 * File names NetworkManager silently skips in system-connections/ (libnm-core
 * `nm_keyfile_utils_ignore_filename`, balenaos.md §7.2): a profile with such a name would be
 * copied to the device and then do nothing, so we reject it with the reason.
 */
export function nmIgnoredNameReason(name: string): string | undefined {
  if (name.startsWith('.')) return 'its name starts with "." (hidden file)';
  if (name.endsWith('~')) return 'its name ends with "~" (backup file)';
  if (/\.(pem|der)$/i.test(name)) return 'its name ends with .pem or .der (treated as a certificate)';
  // check_mkstemp_suffix(): the last dot followed by exactly six letters/digits, as mkstemp makes.
  if (/\.[A-Za-z0-9]{6}$/.test(name)) return `its name ends with a dot and six letters or digits ("${name.slice(-7)}", the pattern of temporary files)`;
  return undefined;
}
