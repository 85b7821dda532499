/**
 * Coded errors of the profile store and their user text, in one place (house habit 15): the
 * modules throw a code, the panel shows `profileMessage(error)`.
 */
export type ProfileErrorCode =
  | 'WRONG_PASSPHRASE' // AES-GCM's tag did not match: wrong passphrase (or altered bytes)
  | 'WEAK_KEY_DERIVATION' // a record claims fewer PBKDF2 iterations than we accept
  | 'BAD_RECORD' // a stored record or sealed box is not one we wrote
  | 'BAD_NAME' // empty or too long
  | 'NAME_TAKEN'
  | 'NOT_FOUND'
  | 'PASSPHRASE_TOO_SHORT'
  | 'NO_STORAGE'; // IndexedDB unavailable (private mode, blocked)

export class ProfileError extends Error {
  constructor(readonly code: ProfileErrorCode, detail = '') {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'ProfileError';
  }
}

const MESSAGES: Record<ProfileErrorCode, string> = {
  WRONG_PASSPHRASE: 'Wrong passphrase — nothing was opened.',
  WEAK_KEY_DERIVATION: 'This profile’s secrets were sealed with too few key-derivation rounds; they were not opened.',
  BAD_RECORD: 'This profile is damaged or was not saved by Preflash; nothing was opened.',
  BAD_NAME: 'A profile needs a name (at most 100 characters).',
  NAME_TAKEN: 'A profile with that name already exists.',
  NOT_FOUND: 'That profile no longer exists (deleted in another tab?).',
  PASSPHRASE_TOO_SHORT: 'The passphrase must be at least 8 characters.',
  NO_STORAGE: 'This browser does not let Preflash store profiles (IndexedDB is unavailable, e.g. in a private window).',
};

/** The sentence to show for an error from this folder (others keep their own message). */
export function profileMessage(error: unknown): string {
  if (error instanceof ProfileError) return MESSAGES[error.code];
  return error instanceof Error ? error.message : String(error);
}
