/**
 * WireGuard public key from a private key: X25519 (RFC 7748 §5) scalar multiplication of the
 * base point u = 9, in plain BigInt arithmetic. Lets the app show the public key the user must
 * register with their server. Not constant-time: it runs once on the user's own key in their
 * own browser, where timing side channels are not a concern.
 */
import { base64Decode, base64Encode } from '../bytes/base64.ts';
import { CoreError } from '../errors.ts';

const P = (1n << 255n) - 19n;
const A24 = 121665n;

const mod = (a: bigint): bigint => ((a % P) + P) % P;

function power(base: bigint, exponent: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]);
  return n;
}

function bigIntToLittleEndian(n: bigint): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 255n);
  return out;
}

/** RFC 7748 §5 decodeScalar25519: clear the 3 low bits and the top bit, set bit 254. */
function clampScalar(bytes: Uint8Array): bigint {
  const k = Uint8Array.from(bytes);
  k[0] &= 248;
  k[31] &= 127;
  k[31] |= 64;
  return littleEndianToBigInt(k);
}

/** RFC 7748 §5 Montgomery ladder: the u-coordinate of k·(point with u-coordinate u). */
export function x25519(scalar: Uint8Array, u: Uint8Array): Uint8Array {
  const k = clampScalar(scalar);
  const x1 = littleEndianToBigInt(u) & ((1n << 255n) - 1n);
  let [x2, z2, x3, z3] = [1n, 0n, x1, 1n];
  let swap = 0n;
  for (let t = 254n; t >= 0n; t--) {
    const bit = (k >> t) & 1n;
    if (swap ^ bit) [x2, x3, z2, z3] = [x3, x2, z3, z2];
    swap = bit;
    const a = x2 + z2;
    const aa = (a * a) % P;
    const b = x2 - z2;
    const bb = mod(b * b);
    const e = mod(aa - bb);
    const c = x3 + z3;
    const d = x3 - z3;
    const da = mod(d * a);
    const cb = mod(c * b);
    x3 = mod((da + cb) ** 2n);
    z3 = mod(x1 * mod((da - cb) ** 2n));
    x2 = mod(aa * bb);
    z2 = mod(e * (aa + A24 * e));
  }
  if (swap) [x2, z2] = [x3, z3];
  return bigIntToLittleEndian(mod(x2 * power(z2, P - 2n)));
}

const BASE_POINT = bigIntToLittleEndian(9n);

/** `wg pubkey`: base64 private key (32 bytes) → base64 public key. */
export function wireguardPublicKey(privateKeyBase64: string): string {
  let key: Uint8Array;
  try {
    key = base64Decode(privateKeyBase64.trim());
  } catch {
    key = new Uint8Array(0);
  }
  if (key.length !== 32) {
    throw new CoreError('SETTINGS_INVALID', 'The WireGuard private key is not the base64 form of 32 bytes.');
  }
  return base64Encode(x25519(key, BASE_POINT));
}
