/**
 * Seals text with a passphrase: WebCrypto AES-GCM with a 256-bit key derived by PBKDF2-SHA-256
 * (OWASP's 2023 figure: 600,000 iterations), a random 16-byte salt and 12-byte IV on every seal.
 * The box keeps its iteration count so it can be raised later; opening refuses fewer than
 * MIN_ITERATIONS before deriving anything. The passphrase is never kept.
 */
import { ProfileError } from './profile-errors.ts';

export const MIN_ITERATIONS = 600_000;
const SALT_BYTES = 16;
const IV_BYTES = 12;
/** Bound into every box as AES-GCM additional data, so a box is only ever read as one of ours. */
const AAD = new TextEncoder().encode('preflash-profile-secrets-v1');

export interface SealedBox {
  kdf: 'PBKDF2-SHA-256';
  iterations: number;
  salt: Uint8Array;
  cipher: 'AES-GCM-256';
  iv: Uint8Array;
  /** Ciphertext followed by the 16-byte GCM tag. */
  data: Uint8Array;
}

const subtle = (): SubtleCrypto => globalThis.crypto.subtle;

async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const material = await subtle().importKey('raw', new TextEncoder().encode(passphrase), 'PBKDF2', false, ['deriveKey']);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function seal(text: string, passphrase: string, iterations = MIN_ITERATIONS): Promise<SealedBox> {
  if (!Number.isSafeInteger(iterations) || iterations < MIN_ITERATIONS) throw new ProfileError('WEAK_KEY_DERIVATION', `${iterations} iterations`);
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const key = await deriveKey(passphrase, salt, iterations);
  const data = await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: AAD }, key, new TextEncoder().encode(text));
  return { kdf: 'PBKDF2-SHA-256', iterations, salt, cipher: 'AES-GCM-256', iv, data: new Uint8Array(data) };
}

/** Checks a stored box's shape (records come back from IndexedDB, which anyone can edit). */
export function checkBox(box: unknown): SealedBox {
  const b = box as Partial<SealedBox> | null;
  const bytes = (v: unknown, n?: number) => v instanceof Uint8Array && (n === undefined ? v.length > 16 : v.length === n);
  if (!b || b.kdf !== 'PBKDF2-SHA-256' || b.cipher !== 'AES-GCM-256' || !bytes(b.salt, SALT_BYTES) || !bytes(b.iv, IV_BYTES) || !bytes(b.data)) {
    throw new ProfileError('BAD_RECORD', 'sealed box');
  }
  if (typeof b.iterations !== 'number' || !Number.isSafeInteger(b.iterations) || b.iterations < MIN_ITERATIONS) {
    throw new ProfileError('WEAK_KEY_DERIVATION', `${String(b.iterations)} iterations`);
  }
  return b as SealedBox;
}

/** The sealed text; WRONG_PASSPHRASE when the key does not open it (nothing partial is returned). */
export async function open(box: SealedBox, passphrase: string): Promise<string> {
  const checked = checkBox(box);
  const key = await deriveKey(passphrase, checked.salt, checked.iterations);
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv: checked.iv as Uint8Array<ArrayBuffer>, additionalData: AAD }, key, checked.data as Uint8Array<ArrayBuffer>);
  } catch {
    throw new ProfileError('WRONG_PASSPHRASE');
  }
  return new TextDecoder().decode(plain);
}
